package dev.clickstream.transfer.offsets;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.destination.TargetTable;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery log kept in ClickHouse next to the data: before a batch's rows are inserted, the offset
 * range it covers in each partition is recorded here. With at most {@link DeliveryStore#IN_FLIGHT} batches written at
 * once, only the newest IN_FLIGHT ranges of a partition may be incomplete, and a restarted or newly
 * assigned consumer resumes from the oldest of them, leaving out the lines already present (see
 * transfer/DESIGN.md).
 */
public final class OffsetLog {
    private static final int IN_FLIGHT = DeliveryStore.IN_FLIGHT;

    private static final DateTimeFormatter NOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /** A column later releases added; a log made by an earlier one gets it at start. */
    private record AddedColumn(String name, String type) {
    }

    private static final List<AddedColumn> ADDED_COLUMNS = List.of(new AddedColumn("topic_id", "String DEFAULT ''"),
            new AddedColumn("oldest_timestamp_ms", "UInt64 DEFAULT 0"));

    private final SqlSession ch;
    private final Placement placement;
    private final String database;
    private final String tableName;
    private final String table;
    private final String topic;
    private final String topicId;

    /**
     * @param topicId Kafka's id of the topic (its UUID): history logged under another id is of a topic deleted
     *                since, and a recreated topic under the same name must not resume from it
     */
    public OffsetLog(SqlSession ch, TargetTable target) {
        this.ch = ch;
        this.placement = target.placement();
        this.database = target.database();
        this.tableName = target.table() + "_offsets";
        this.table = ClickHouse.identifier(database) + "." + ClickHouse.identifier(tableName);
        this.topic = target.topic();
        this.topicId = target.topicId();
    }

    public String table() {
        return table;
    }

    public void createIfMissing() {
        // on a cluster, only when missing here: ON CLUSTER waits for every server, a replica down included
        if (!placement.onCluster() || !ch.tableExists(database, tableName)) {
            ch.execute(createLogSql(database, tableName, placement));
        }
        List<String> existing = ch.columnNames(database, tableName);
        for (AddedColumn column : ADDED_COLUMNS) {
            if (!existing.contains(column.name())) {
                ch.execute("ALTER TABLE " + table + placement.onClusterClause() + " ADD COLUMN " + column.name() + " "
                        + column.type());
            }
        }
    }

    /** The log's table for the target {@code database.targetTable}: {@code <target>_offsets}. */
    public static String createSql(String database, String targetTable, Placement placement) {
        return createLogSql(database, targetTable + "_offsets", placement);
    }

    private static String createLogSql(String database, String logTable, Placement placement) {
        return "CREATE TABLE IF NOT EXISTS " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(logTable)
                + placement.onClusterClause() + "\n(\n    topic String,\n    partition UInt32,\n"
                + "    first_offset UInt64,\n    last_offset UInt64,\n    batch_id String,\n    instance String,\n"
                + "    written_at DateTime,\n    topic_id String DEFAULT '',\n    oldest_timestamp_ms UInt64 DEFAULT 0\n)\n"
                + "ENGINE = " + placement.engine(database, logTable) + "\nORDER BY (topic, partition, last_offset)";
    }

    /**
     * True when a topic of this name was ever delivered into the table, recreated or not: the cleanup policy
     * applies only on a first activation, never to what an earlier topic of the name left.
     */
    public boolean hasHistory() {
        return ch.queryLong("SELECT count() FROM " + table + " WHERE topic = " + ClickHouse.quote(topic)) > 0;
    }

    /** This topic's rows of the log; rows of releases that kept no topic id ('') count as this topic's. */
    private String thisTopic() {
        return "topic = " + ClickHouse.quote(topic) + " AND topic_id IN (" + ClickHouse.quote(topicId) + ", '')";
    }

    /**
     * The oldest Kafka timestamp (ms) of any batch logged under this topic id, or 0: every row this topic wrote is
     * at least that old, and rows an earlier topic of the same name wrote (same offsets) are older.
     */
    public long generationStartMs() {
        return ch.queryLong("SELECT min(oldest_timestamp_ms) FROM " + table + " WHERE topic = "
                + ClickHouse.quote(topic) + " AND topic_id = " + ClickHouse.quote(topicId));
    }

    /** Records the ranges a batch is about to write; written before the batch's rows. */
    public void record(Map<Integer, Batch.Range> ranges, long oldestTimestampMs, String batchId, String instance) {
        String writtenAt = NOW.format(Instant.now());
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        try {
            for (var e : ranges.entrySet()) {
                ObjectNode row = JSON.createObjectNode().put("topic", topic).put("partition", e.getKey())
                        .put("first_offset", e.getValue().first()).put("last_offset", e.getValue().last())
                        .put("batch_id", batchId).put("instance", instance).put("written_at", writtenAt)
                        .put("topic_id", topicId).put("oldest_timestamp_ms", Math.max(0, oldestTimestampMs));
                JSON.writeValue(rows, row);
                rows.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ch.insertJsonEachRow(table, new ByteArrayInputStream(rows.toByteArray()), Map.of());
    }

    /**
     * The offsets of one partition that may be only partly in ClickHouse: from the first offset of the oldest of its
     * newest {@link DeliveryStore#IN_FLIGHT} recorded ranges to the last offset of the newest, with the writes that logged them.
     * Empty without history.
     */
    public Optional<DeliveryStore.Window> uncertain(int partition) {
        // GROUP BY: a retried batch logs its range again, and a repeat must not push an older range out.
        List<JsonNode> rows = ch.query("SELECT first_offset, last_offset, groupArray(batch_id) AS ids FROM " + table
                + " WHERE " + thisTopic() + " AND partition = " + partition
                + " GROUP BY first_offset, last_offset ORDER BY last_offset DESC, first_offset DESC LIMIT " + IN_FLIGHT);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        long first = rows.stream().mapToLong(r -> r.get("first_offset").asLong()).min().orElseThrow();
        long last = rows.stream().mapToLong(r -> r.get("last_offset").asLong()).max().orElseThrow();
        List<String> ids = new ArrayList<>();
        rows.forEach(r -> r.get("ids").forEach(id -> ids.add(id.asText())));
        return Optional.of(new DeliveryStore.Window(first, last, List.copyOf(ids)));
    }
}
