package dev.clickstream.provisioner.delivery;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.TopicOffsets;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.clickstream.stack.kafka.KafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka engine's delivery as Kafka and ClickHouse see it, which the engine itself does not report: per
 * Kafka engine table, its consumer group's committed offset, the end offset and the lag of every partition of
 * its topic, and the rows of the errors table beside it (modern servers, kafka_handle_error_mode = 'stream').
 *
 * @param problem why Kafka or ClickHouse could not be asked; null when both answered
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EngineDelivery(List<Queue> queues, String problem) {
    private static final Pattern GROUP = Pattern.compile("kafka_group_name\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'");
    private static final Pattern TOPICS = Pattern.compile("kafka_topic_list\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'");

    /**
     * One Kafka engine table.
     *
     * @param errors rows of {@code <storage>_errors}; null when there is no such table (18.16)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Queue(String table, String group, List<String> topics, List<Partition> partitions, long lag,
                        Long errors) {
    }

    /** {@code committed} is -1 for a partition the group has not committed yet; its lag counts from the start. */
    public record Partition(String topic, int partition, long committed, long end, long lag) {
    }

    @JsonProperty("in_use")
    public boolean inUse() {
        return !queues.isEmpty();
    }

    @JsonProperty("lag")
    public long lag() {
        return queues.stream().mapToLong(Queue::lag).sum();
    }

    /**
     * The Kafka engine table that feeds {@code database.table} by the SQL's naming ({@code <table>_queue}); for a
     * cluster's Distributed {@code <table>_all}, the queue of the table under it.
     */
    public Optional<Queue> feeding(String qualifiedTable) {
        String local = qualifiedTable.endsWith("_all") ? qualifiedTable.substring(0, qualifiedTable.length() - 4)
                : qualifiedTable;
        return queues.stream().filter(q -> q.table().equals(qualifiedTable + "_queue")
                || q.table().equals(local + "_queue")).findFirst();
    }

    /** One look with an admin client of its own, opened and closed here (for a command that looks once). */
    public static EngineDelivery probe(KafkaEndpoint kafka, SqlSession clickhouse) {
        try (Admin admin = Admin.create(KafkaBroker.adminProps(kafka))) {
            return probe(admin, clickhouse);
        }
    }

    /** One look with the caller's admin client, which a caller that looks every few seconds keeps open. */
    public static EngineDelivery probe(Admin admin, SqlSession clickhouse) {
        List<JsonNode> tables;
        try {
            tables = clickhouse.query("SELECT database, name, engine_full FROM system.tables WHERE engine = 'Kafka'"
                    + " ORDER BY database, name");
        } catch (RuntimeException e) {
            return new EngineDelivery(List.of(), "ClickHouse: " + Cli.oneLine(e));
        }
        if (tables.isEmpty()) {
            return new EngineDelivery(List.of(), null);
        }
        List<Queue> queues = new ArrayList<>();
        String problem = null;
        try {
            for (JsonNode t : tables) {
                String db = t.get("database").asText();
                String name = t.get("name").asText();
                String engine = t.get("engine_full").asText();
                String group = setting(GROUP, engine);
                List<String> topics = setting(TOPICS, engine).isEmpty() ? List.of()
                        : List.of(setting(TOPICS, engine).split("\\s*,\\s*"));
                List<Partition> partitions = group.isEmpty() ? List.of() : partitions(admin, group, topics);
                queues.add(new Queue(db + "." + name, group, topics, partitions,
                        partitions.stream().mapToLong(Partition::lag).sum(), errorRows(clickhouse, db, name)));
            }
        } catch (Exception e) {
            problem = "Kafka: " + Cli.oneLine(e);
        }
        return new EngineDelivery(queues, problem);
    }

    private static String setting(Pattern p, String engineFull) {
        Matcher m = p.matcher(engineFull);
        return m.find() ? m.group(1).replace("\\'", "'") : "";
    }

    private static List<Partition> partitions(Admin admin, String group, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        List<Partition> out = new ArrayList<>();
        TopicOffsets.of(admin, topics, Duration.ofSeconds(10)).forEach((tp, span) -> {
            OffsetAndMetadata at = committed.get(tp);
            long from = at != null ? at.offset() : span.earliest();
            out.add(new Partition(tp.topic(), tp.partition(), at == null ? -1 : at.offset(), span.latest(),
                    Math.max(0, span.latest() - from)));
        });
        return out;
    }

    /** Rows of the errors table the SQL creates beside a queue it names {@code <storage>_queue}. */
    private static Long errorRows(SqlSession clickhouse, String db, String queue) {
        if (!queue.endsWith("_queue")) {
            return null;
        }
        String errors = queue.substring(0, queue.length() - "_queue".length()) + "_errors";
        if (!clickhouse.tableExists(db, errors)) {
            return null;
        }
        return clickhouse.queryLong("SELECT count() FROM " + ClickHouse.identifier(db) + "."
                + ClickHouse.identifier(errors));
    }
}
