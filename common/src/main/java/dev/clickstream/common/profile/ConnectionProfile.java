package dev.clickstream.common.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * What every tool needs to find Kafka and ClickHouse: written by {@code clickstream up} (local or cloud),
 * read by the producer, consumer, transfer and the SQL tools when no connection flags are given.
 *
 * @param target {@code local}, {@code aiven} or {@code doublecloud}
 * @param topic  the events topic
 */
public record ConnectionProfile(
        String target,
        KafkaConnection kafkaConnection,
        ClickHouseConnection clickhouseConnection,
        String topic) {

    public static final String DEFAULT_TOPIC = "clickhouse-events";

    public boolean isLocal() {
        return "local".equals(target);
    }

    public String topicOrDefault() {
        return topic == null || topic.isBlank() ? DEFAULT_TOPIC : topic;
    }

    /** Every problem with this profile, each prefixed by the JSON path of the field. Empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (kafkaConnection == null) {
            problems.add("kafka_connection: missing");
        } else {
            requireText(problems, "kafka_connection.connection_string", kafkaConnection.connectionString());
            String protocol = kafkaConnection.securityProtocol();
            if (protocol != null && !List.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL").contains(protocol)) {
                problems.add("kafka_connection.security_protocol: '" + protocol
                        + "' is not one of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL");
            }
            if (protocol != null && protocol.startsWith("SASL")) {
                requireText(problems, "kafka_connection.user", kafkaConnection.user());
                requireText(problems, "kafka_connection.password", kafkaConnection.password());
            }
        }
        if (clickhouseConnection == null) {
            problems.add("clickhouse_connection: missing");
        } else {
            requireText(problems, "clickhouse_connection.host", clickhouseConnection.host());
            if (clickhouseConnection.httpsPort() == null && clickhouseConnection.httpPort() == null) {
                problems.add("clickhouse_connection.https_port: missing (and no http_port either)");
            }
            requireText(problems, "clickhouse_connection.user", clickhouseConnection.user());
        }
        return problems;
    }

    private static void requireText(List<String> problems, String path, String value) {
        if (value == null || value.isBlank()) {
            problems.add(path + ": missing");
        }
    }
}
