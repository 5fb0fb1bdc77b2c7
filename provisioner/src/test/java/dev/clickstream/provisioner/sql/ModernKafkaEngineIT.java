package dev.clickstream.provisioner.sql;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.provisioner.delivery.EngineDelivery;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import dev.clickstream.testsupport.chdb.ChdbSession;
import dev.clickstream.testsupport.chdb.WithChdb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka-engine path on ClickHouse 26.x (the engine in-process through chDB): the statements
 * `sql apply --dry-run --server-version` prints for it, applied as printed, consuming the test stack's real
 * broker. The same tests on 18.16 are {@link KafkaEngineDeliveryIT}.
 */
@WithLocalStack
@WithChdb
class ModernKafkaEngineIT {
    private static ChdbSession chdb;

    @BeforeAll
    static void open(ChdbSession session) {
        chdb = session;
    }

    /** What a user reviewing the SQL for a modern server sees, split into statements as the applier splits them. */
    private static List<String> printedStatements(TestStack stack, String db, String topic) {
        CliRun run = CliRun.of("sql", "apply", "--state-dir", stack.stateDir().toString(), "--database", db,
                "--topic", topic, "--group", "engine-" + db, "--brokers", stack.kafka("PLAINTEXT").bootstrapServers(),
                "--server-version", chdb.version().text(), "--dry-run");
        assertEquals(0, run.exitCode(), run::toString);
        return SqlTemplate.statements(run.out());
    }

    private static void apply(List<String> statements) {
        new SqlApplier(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())).send(chdb, statements);
    }

    private static long awaitRows(String table, long expected) {
        return KafkaEngineDeliveryIT.awaitRows(chdb, table, expected, Duration.ofSeconds(90));
    }

    @Test
    void every_event_lands_once_with_where_it_came_from(TestStack stack) {
        String topic = stack.newTopic("modern-engine", 3);
        String db = "modern_" + ProcessHandle.current().pid() + "_intact";
        apply(printedStatements(stack, db, topic));

        int n = 3000;
        TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, n));
        assertEquals(n, awaitRows(db + ".events", n));
        assertEquals(n, chdb.queryLong("SELECT uniqExact(id) FROM " + db + ".events"));
        assertEquals(n, chdb.queryLong("SELECT uniqExact(_partition, _offset) FROM " + db + ".events"),
                "each row names its own message");
        assertEquals(List.of(topic + "\t3\t0"), chdb.lines("SELECT any(_topic), uniqExact(_partition),"
                + " countIf(_timestamp IS NULL) FROM " + db + ".events"));
        assertEquals("DateTime64(6, 'UTC')", chdb.query("SELECT toTypeName(user_ts) AS t FROM " + db + ".events LIMIT 1")
                .get(0).get("t").asText());

        JsonNode last = chdb.query("SELECT toString(user_ts) AS ts, toString(id) AS id, event_type, price FROM " + db
                + ".events WHERE event_id = 'event-2999'").get(0);
        assertEquals(TestEvents.unsignedId(2999), last.get("id").asText(), "UInt64 above 2^63 intact");
        assertEquals("2026-11-25 10:49:59", last.get("ts").asText().substring(0, 19));
        assertEquals(TestEvents.event(2999).eventType(), last.get("event_type").asText());
        assertEquals(TestEvents.event(2999).price(), last.get("price").asDouble());
    }

    @Test
    void malformed_messages_go_to_the_errors_table_and_the_valid_ones_arrive(TestStack stack) {
        String topic = stack.newTopic("modern-engine-bad", 1);
        String db = "modern_" + ProcessHandle.current().pid() + "_bad";
        apply(printedStatements(stack, db, topic));

        List<String> messages = new ArrayList<>(TestEvents.jsonLines(0, 500));
        messages.add("{\"user_ts\": \"2026-11-25T10:00:00Z\", \"id\": not-json");
        messages.add("{\"user_ts\": \"yesterday\", \"id\": 7, \"event_id\": \"bad-time\"}");
        messages.addAll(TestEvents.jsonLines(500, 1000));
        TestKafka.produce(stack.kafka(), topic, messages);

        assertEquals(1000, awaitRows(db + ".events", 1000), "valid rows around malformed messages are missing");
        assertEquals(2, awaitRows(db + ".events_errors", 2));
        assertEquals(1000, chdb.queryLong("SELECT uniqExact(id) FROM " + db + ".events"));
        List<String> errors = chdb.lines("SELECT offset, raw_message, error != '' FROM " + db
                + ".events_errors ORDER BY offset");
        assertEquals(2, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("500\t{\"user_ts\": \"2026-11-25T10:00:00Z\", \"id\": not-json"), errors::toString);
        assertTrue(errors.get(0).endsWith("\t1"), "the engine's reason is kept: " + errors);
        assertEquals("501\tyesterday\t1", errors.get(1));
        assertEquals("user_ts is not a date and time",
                chdb.queryText("SELECT error FROM " + db + ".events_errors WHERE offset = 501").strip());

        // what `status` and the dashboard show of it: the group from the 26.x engine_full, the offsets from Kafka
        EngineDelivery.Queue queue = Deadline.in(Duration.ofSeconds(30)).poll(Duration.ofMillis(500), () ->
                EngineDelivery.probe(stack.kafka(), chdb).feeding(db + ".events").filter(q -> q.lag() == 0))
                .orElseThrow(() -> new AssertionError("no caught-up queue: " + EngineDelivery.probe(stack.kafka(), chdb)));
        assertEquals("engine-" + db, queue.group());
        assertEquals(List.of(topic), queue.topics());
        assertEquals(List.of(new EngineDelivery.Partition(topic, 0, 1002, 1002, 0)), queue.partitions());
        assertEquals(2L, queue.errors());
    }

    @Test
    void applying_twice_changes_nothing(TestStack stack) {
        String topic = stack.newTopic("modern-engine-twice", 1);
        String db = "modern_" + ProcessHandle.current().pid() + "_twice";
        List<String> statements = printedStatements(stack, db, topic);
        apply(statements);
        String tables = chdb.queryText("SELECT name, engine FROM system.tables WHERE database = '" + db
                + "' ORDER BY name");
        apply(statements);
        assertEquals(tables, chdb.queryText("SELECT name, engine FROM system.tables WHERE database = '" + db
                + "' ORDER BY name"));
        assertEquals("events\tMergeTree\nevents_errors\tMergeTree\nevents_errors_mv\tMaterializedView\n"
                + "events_mv\tMaterializedView\nevents_queue\tKafka\n", tables);
    }
}
