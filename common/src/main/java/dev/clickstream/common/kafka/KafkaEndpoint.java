package dev.clickstream.common.kafka;

import dev.clickstream.common.profile.KafkaConnection;

import java.util.Locale;
import java.util.Properties;

/**
 * A resolved Kafka address plus credentials: the one place that turns them into client properties,
 * so every tool authenticates the same way (SCRAM over TLS as the demo's cloud, or plain for local work).
 */
public record KafkaEndpoint(
        String bootstrapServers,
        String securityProtocol,
        String saslMechanism,
        String user,
        String password,
        String caFile) {

    public static final String DEFAULT_SASL_MECHANISM = "SCRAM-SHA-512";

    public KafkaEndpoint {
        securityProtocol = securityProtocol == null ? "PLAINTEXT" : securityProtocol.toUpperCase(Locale.ROOT);
        saslMechanism = saslMechanism == null ? DEFAULT_SASL_MECHANISM : saslMechanism;
    }

    public static KafkaEndpoint of(KafkaConnection c) {
        return new KafkaEndpoint(c.connectionString(), c.securityProtocol(), c.saslMechanism(), c.user(), c.password(),
                c.caFile());
    }

    public static KafkaEndpoint plaintext(String bootstrapServers) {
        return new KafkaEndpoint(bootstrapServers, "PLAINTEXT", null, null, null, null);
    }

    public boolean usesSasl() {
        return securityProtocol.startsWith("SASL_");
    }

    public boolean usesTls() {
        return securityProtocol.endsWith("SSL");
    }

    public KafkaEndpoint withCredentials(String newUser, String newPassword) {
        return new KafkaEndpoint(bootstrapServers, securityProtocol, saslMechanism, newUser, newPassword, caFile);
    }

    /** Properties shared by producers, consumers and admin clients for this endpoint. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.put("security.protocol", securityProtocol);
        if (usesSasl()) {
            p.put("sasl.mechanism", saslMechanism);
            boolean scram = saslMechanism.startsWith("SCRAM");
            String module = scram
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : "org.apache.kafka.common.security.plain.PlainLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaasEscape(user)
                    + "\" password=\"" + jaasEscape(password) + "\";");
        }
        if (usesTls() && caFile != null && !caFile.isBlank()) {
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", caFile);
        }
        return p;
    }

    /** For messages: where and as whom, never the password. */
    public String describe() {
        return bootstrapServers + " (" + securityProtocol + (usesSasl() ? " " + saslMechanism + " as '" + user + "'" : "")
                + ")";
    }

    private static String jaasEscape(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaEndpoint[" + describe() + "]";
    }
}
