package dev.clickstream.provisioner.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the analytics found: every query's rows over the same window, ending at the same
 * instant, from one table.
 */
public record AnalyticsReport(String table, String tableDescription, String serverVersion, AnalyticsWindow window,
                              Instant until, Map<String, List<JsonNode>> results) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public AnalyticsReport {
        results = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results));
    }

    public List<JsonNode> rows(AnalyticsQuery query) {
        return results.getOrDefault(query.name(), List.of());
    }

    /** The first row of a one-row query (active users, freshness). */
    public JsonNode row(AnalyticsQuery query) {
        List<JsonNode> rows = rows(query);
        return rows.isEmpty() ? JSON.createObjectNode() : rows.get(0);
    }

    /** {table, server_version, until, since_seconds, bucket_seconds, <query name>: [rows...], ...} */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("table", table);
        root.put("server_version", serverVersion);
        root.put("until", until.toString());
        root.put("since_seconds", window.sinceSeconds());
        root.put("bucket_seconds", window.bucketSeconds());
        results.forEach((name, rows) -> {
            ArrayNode array = root.putArray(name);
            rows.forEach(array::add);
        });
        return root;
    }
}
