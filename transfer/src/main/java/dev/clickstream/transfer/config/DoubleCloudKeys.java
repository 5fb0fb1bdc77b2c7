package dev.clickstream.transfer.config;

import java.util.Map;

/**
 * Keys of DoubleCloud's Terraform transfer endpoints that a ported config may still hold, each with what to write
 * here instead: a config is never half-read, and the error says how to fix it.
 */
final class DoubleCloudKeys {
    private static final Map<String, String> BY_PATH = Map.ofEntries(
            Map.entry("target.clickhouse_cleanup_policy", "write target.cleanup_policy"),
            Map.entry("target.alt_name", "write target.alt_names: [{from_name: …, to_name: …}]"),
            Map.entry("target.clickhouse_cluster_name", "write target.cluster"),
            Map.entry("target.connection.address", "write target.connection.url: \"https://host:8443\""),
            Map.entry("target.connection.database", "write target.database"),
            Map.entry("source.connection", "write source.brokers: [\"host:9091\"] (on_premise.broker_urls)"),
            Map.entry("source.auth.no_auth", "write source.auth.security_protocol: PLAINTEXT, or leave auth out"),
            Map.entry("source.parser.tskv", "only the JSON parser exists: source.parser.json"));

    private DoubleCloudKeys() {
    }

    /** What to write instead of an unknown key at this path, or null when it is not DoubleCloud's. */
    static String instead(String path) {
        return BY_PATH.get(path);
    }

    /** What to write instead of a type name DoubleCloud has and the transfer has not, or null. */
    static String insteadOfType(String type) {
        if (type == null) {
            return null;
        }
        return switch (type.toLowerCase(java.util.Locale.ROOT)) {
            case "timestamp" -> "write datetime";
            case "float" -> "write double";
            case "date" -> "write datetime (it reads a date with a time of day)";
            default -> null;
        };
    }
}
