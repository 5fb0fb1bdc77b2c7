package dev.clickstream.common.profile;

import java.util.Map;

/**
 * How tools reach Kafka. The first three fields are the original demo's Terraform output
 * {@code kafka_connection}; the rest say how to talk to it.
 *
 * @param connectionString bootstrap servers, {@code host:port[,host:port]}
 * @param securityProtocol PLAINTEXT, SASL_PLAINTEXT, SASL_SSL or SSL
 * @param saslMechanism    SCRAM-SHA-512 unless the cluster says otherwise
 * @param caFile           PEM file with the CA that signed the brokers' certificates; null means the system CAs
 * @param listeners        a local stack's other listeners by security protocol (PLAINTEXT, SASL_SSL, ...)
 */
public record KafkaConnection(
        String connectionString,
        String user,
        String password,
        String securityProtocol,
        String saslMechanism,
        String caFile,
        Map<String, String> listeners) {

    public KafkaConnection {
        listeners = listeners == null ? Map.of() : Map.copyOf(listeners);
    }
}
