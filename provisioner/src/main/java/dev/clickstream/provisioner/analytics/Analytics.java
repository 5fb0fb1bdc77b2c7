package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs the queries of sql/analytics/ over one table and window: what `clickstream analytics` and the dashboard show. */
public final class Analytics {
    /** Counts as JSON numbers: 18.16 quotes 64-bit integers unless told otherwise. */
    private static final Map<String, String> SETTINGS = Map.of("output_format_json_quote_64bit_integers", "0");
    /** How ClickHouse writes a DateTime in JSON. */
    static final DateTimeFormatter CLICKHOUSE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Analytics() {
    }

    public static AnalyticsReport run(SqlSession ch, EventsTable table, String tableDescription,
                                      AnalyticsWindow window) {
        Instant until = window.until() != null ? window.until()
                : Instant.ofEpochSecond(ch.queryLong("SELECT toUInt32(now())"));
        Map<String, String> values = placeholders(table, window, until);
        Map<String, List<JsonNode>> results = new LinkedHashMap<>();
        for (AnalyticsQuery q : AnalyticsQuery.ALL) {
            List<JsonNode> rows;
            try {
                rows = ch.query(q.render(values), SETTINGS);
            } catch (UserFacingException e) {
                throw new UserFacingException("sql/" + q.file() + " on " + table.qualified() + ": " + e.getMessage(), e);
            }
            results.put(q.name(), q == AnalyticsQuery.EVENTS_OVER_TIME ? filled(rows, window, until) : rows);
        }
        return new AnalyticsReport(table.qualified(), tableDescription, ch.version().toString(), window, until,
                results);
    }

    static Map<String, String> placeholders(EventsTable table, AnalyticsWindow window, Instant until) {
        Map<String, String> values = new HashMap<>();
        values.put("TABLE", ClickHouse.identifier(table.database()) + "." + ClickHouse.identifier(table.table()));
        values.put("UNTIL", "toDateTime(" + until.getEpochSecond() + ")");
        values.put("SINCE_SECONDS", Long.toString(window.sinceSeconds()));
        values.put("BUCKET_SECONDS", Long.toString(window.bucketSeconds()));
        values.put("LIMIT", Integer.toString(window.limit()));
        return values;
    }

    /**
     * Every bucket of the window, those without events as zeros (ClickHouse 18.16 has no WITH FILL), so a
     * chart's time axis is even and a quiet minute shows as a quiet minute.
     */
    static List<JsonNode> filled(List<JsonNode> rows, AnalyticsWindow window, Instant until) {
        Map<String, JsonNode> byBucket = new HashMap<>();
        rows.forEach(r -> byBucket.put(r.path("bucket").asText(), r));
        long b = window.bucketSeconds();
        long first = Math.floorDiv(until.getEpochSecond() - window.sinceSeconds(), b) * b;
        long last = Math.floorDiv(until.getEpochSecond() - 1, b) * b;
        List<JsonNode> all = new ArrayList<>();
        for (long t = first; t <= last; t += b) {
            String bucket = CLICKHOUSE_TIME.format(Instant.ofEpochSecond(t));
            JsonNode row = byBucket.get(bucket);
            if (row == null) {
                ObjectNode zero = JSON.createObjectNode();
                zero.put("bucket", bucket);
                zero.put("events", 0);
                zero.put("users", 0);
                zero.put("sessions", 0);
                row = zero;
            }
            all.add(row);
        }
        return all;
    }
}
