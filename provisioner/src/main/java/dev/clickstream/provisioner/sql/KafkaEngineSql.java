package dev.clickstream.provisioner.sql;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the Kafka-engine delivery is made of (names, broker, topic, group) and how the template's
 * placeholders and conditions are filled in for a given server version.
 *
 * @param cluster       ON CLUSTER name and Replicated* engines for a managed cluster; null on a single server
 * @param externalQueue an existing Kafka engine table ({@code database.table}) to read instead of creating
 *                      one, e.g. the queue table of Aiven's clickhouse_kafka integration; null to create ours
 */
public record KafkaEngineSql(
        String database,
        String storageTable,
        String brokers,
        String topic,
        String group,
        int consumers,
        int maxBlockSize,
        String cluster,
        String externalQueue) {

    public static final String TEMPLATE = "kafka_stream_engine.sql";
    public static final String DEFAULT_DATABASE = "clickstream";
    public static final String DEFAULT_TABLE = "events";
    public static final String DEFAULT_GROUP = "clickstream-engine";
    public static final Set<String> CONDITIONS = Set.of("modern", "legacy", "own_queue", "error_stream", "cluster");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern QUALIFIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

    public KafkaEngineSql {
        requireIdentifier("--database", database);
        requireIdentifier("--table", storageTable);
        requireText("--brokers (kafka_connection.connection_string)", brokers);
        requireText("--topic", topic);
        requireText("--group", group);
        if (consumers < 1) {
            throw usage("--consumers: must be at least 1, got " + consumers);
        }
        if (maxBlockSize < 1) {
            throw usage("--max-block-size: must be at least 1, got " + maxBlockSize);
        }
        if (cluster != null && cluster.isBlank()) {
            cluster = null;
        }
        if (externalQueue != null && !QUALIFIED.matcher(externalQueue).matches()) {
            throw usage("--queue-table: '" + externalQueue + "' is not database.table");
        }
    }

    public String queueTable() {
        return storageTable + "_queue";
    }

    public String view() {
        return storageTable + "_mv";
    }

    public String errorsTable() {
        return storageTable + "_errors";
    }

    /** The Distributed table over every shard's storage table, on a cluster. */
    public String distributedTable() {
        return storageTable + "_all";
    }

    public String errorsView() {
        return storageTable + "_errors_mv";
    }

    /** The profile's database unless it is ClickHouse's `default`: the delivery gets a database of its own. */
    public static String databaseFor(dev.clickstream.common.profile.ConnectionProfile profile) {
        String db = profile == null ? null : profile.clickhouseConnection().database();
        return db == null || db.isBlank() || db.equals("default") ? DEFAULT_DATABASE : db;
    }

    /** Error streams, virtual columns and DateTime64 all exist from 21.6 on. */
    public static boolean isModern(ServerVersion v) {
        return v.hasKafkaErrorStream() && v.hasKafkaVirtualColumns() && v.hasDateTime64();
    }

    public Set<String> conditions(ServerVersion v) {
        Set<String> holding = new java.util.HashSet<>();
        holding.add(isModern(v) ? "modern" : "legacy");
        if (cluster != null) {
            holding.add("cluster");
        }
        if (externalQueue == null) {
            holding.add("own_queue");
            if (isModern(v)) {
                holding.add("error_stream");
            }
        }
        return holding;
    }

    /** The queue the views read: ours, or the one named by --queue-table. */
    public String queue() {
        return externalQueue != null ? externalQueue : database + "." + queueTable();
    }

    public Map<String, String> values(ServerVersion v) {
        boolean modern = isModern(v);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("DATABASE", database);
        m.put("QUEUE_TABLE", queueTable());
        m.put("QUEUE", queue());
        m.put("STORAGE_TABLE", storageTable);
        m.put("VIEW", view());
        m.put("ERRORS_TABLE", errorsTable());
        m.put("ERRORS_VIEW", errorsView());
        m.put("DISTRIBUTED_TABLE", distributedTable());
        m.put("CLUSTER", cluster == null ? "" : literal(cluster));
        m.put("BROKERS", literal(brokers));
        m.put("TOPIC", literal(topic));
        m.put("GROUP", literal(group));
        m.put("CONSUMERS", Integer.toString(consumers));
        m.put("MAX_BLOCK_SIZE", Integer.toString(maxBlockSize));
        m.put("ON_CLUSTER", cluster == null ? "" : "ON CLUSTER '" + literal(cluster) + "'");
        m.put("MERGE_TREE", cluster == null ? "MergeTree()"
                : "ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')");
        m.put("DATETIME", modern ? "DateTime64(6, 'UTC')" : "DateTime('UTC')");
        m.put("LOW_CARDINALITY_STRING", v.hasLowCardinality() ? "LowCardinality(String)" : "String");
        m.put("PARSE_USER_TS", modern ? "parseDateTime64BestEffortOrZero(user_ts, 6, 'UTC')"
                : "parseDateTimeBestEffortOrZero(user_ts)");
        m.put("PARSE_USER_TS_OR_NULL", modern ? "parseDateTime64BestEffortOrNull(user_ts, 6, 'UTC')"
                : "parseDateTimeBestEffortOrNull(user_ts)");
        m.put("PARSE_QUEUE_USER_TS_OR_NULL", modern ? "parseDateTime64BestEffortOrNull(queue.user_ts, 6, 'UTC')"
                : "parseDateTimeBestEffortOrNull(queue.user_ts)");
        return m;
    }

    /** The statements that remove everything the template creates, views first so nothing reads a dropped table. */
    public List<String> dropStatements() {
        String on = cluster == null ? "" : " ON CLUSTER '" + literal(cluster) + "'";
        List<String> drops = new ArrayList<>();
        List<String> tables = new ArrayList<>(List.of(view(), errorsView(), queueTable(), storageTable, errorsTable()));
        if (cluster != null) {
            tables.add(0, distributedTable());
        }
        for (String table : tables) {
            if (externalQueue == null || !table.equals(queueTable())) {
                drops.add("DROP TABLE IF EXISTS " + database + "." + table + on);
            }
        }
        return drops;
    }

    private static String literal(String s) {
        return s.replace("\\", "\\\\").replace("'", "\\'");
    }

    private static void requireIdentifier(String option, String value) {
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            throw usage(option + ": '" + value + "' is not a ClickHouse identifier (letters, digits, _)");
        }
    }

    private static void requireText(String option, String value) {
        if (value == null || value.isBlank()) {
            throw usage(option + ": missing");
        }
    }

    private static UserFacingException usage(String message) {
        return new UserFacingException(message, ExitCodes.USAGE, null);
    }
}
