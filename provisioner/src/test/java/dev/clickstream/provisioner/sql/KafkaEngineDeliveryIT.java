package dev.clickstream.provisioner.sql;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kafka-engine path for real: `sql apply`, events into the topic, rows out of the storage table. */
@WithLocalStack
class KafkaEngineDeliveryIT {

    private static CliRun apply(TestStack stack, String database, String topic, String... more) {
        List<String> args = new ArrayList<>(List.of("sql", "apply", "--state-dir", stack.stateDir().toString(),
                "--database", database, "--topic", topic, "--group", "engine-" + database));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** The table's row count once it reaches {@code expected}, or what it had when the time ran out. */
    static long awaitRows(SqlSession ch, String table, long expected, Duration timeout) {
        return Deadline.in(timeout).poll(Duration.ofMillis(500), () -> {
            long n = ch.queryLong("SELECT count() FROM " + table);
            return n >= expected ? java.util.Optional.of(n) : java.util.Optional.empty();
        }).orElseGet(() -> ch.queryLong("SELECT count() FROM " + table));
    }

    @Test
    void status_shows_the_engines_group_offsets_lag_and_errors_table(TestStack stack) throws Exception {
        String topic = stack.newTopic("engine", 3);
        String db = "engine_" + ProcessHandle.current().pid() + "_status";
        CliRun run = apply(stack, db, topic);
        assertEquals(0, run.exitCode(), run::toString);
        int n = 900;
        TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, n));
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(n, awaitRows(ch, db + ".events", n, Duration.ofSeconds(90)));
            // the errors table a modern server's 'stream' error mode fills; 18.16 has none, so the test makes one
            ch.execute("CREATE TABLE " + db + ".events_errors (raw String) ENGINE = MergeTree ORDER BY tuple()");
            ch.execute("INSERT INTO " + db + ".events_errors VALUES ('{broken'), ('also broken')");
        }
        // the engine commits after its block is written: poll until the group has caught up
        JsonNode queue = Deadline.in(Duration.ofSeconds(30)).poll(Duration.ofMillis(500), () -> {
            JsonNode q = engineQueue(stack, db);
            return q != null && q.get("lag").asLong() == 0 ? java.util.Optional.of(q) : java.util.Optional.empty();
        }).orElseThrow(() -> new AssertionError("the group never caught up: " + engineQueue(stack, db)));
        assertEquals("engine-" + db, queue.get("group").asText());
        assertEquals(topic, queue.get("topics").get(0).asText());
        assertEquals(3, queue.get("partitions").size());
        long committed = 0;
        for (JsonNode p : queue.get("partitions")) {
            assertEquals(p.get("end").asLong(), p.get("committed").asLong(), p.toString());
            committed += p.get("committed").asLong();
        }
        assertEquals(n, committed);
        assertEquals(2, queue.get("errors").asLong());

        CliRun text = CliRun.of("status", "--state-dir", stack.stateDir().toString());
        assertTrue(text.out().contains("Kafka engine " + db + ".events_queue: group engine-" + db + ", topic " + topic
                + ", lag 0, 2 rows in its errors table"), text::toString);
    }

    private static JsonNode engineQueue(TestStack stack, String db) {
        CliRun status = CliRun.of("status", "--state-dir", stack.stateDir().toString(), "--json");
        try {
            for (JsonNode q : new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.out())
                    .path("engine_delivery").path("queues")) {
                if (q.get("table").asText().equals(db + ".events_queue")) {
                    return q;
                }
            }
            return null;
        } catch (java.io.IOException e) {
            throw new AssertionError(status.toString(), e);
        }
    }

    @Test
    void every_event_arrives_with_its_fields_intact(TestStack stack) {
        String topic = stack.newTopic("engine", 3);
        String db = "engine_" + ProcessHandle.current().pid() + "_intact";
        CliRun run = apply(stack, db, topic);
        assertEquals(0, run.exitCode(), run::toString);

        int n = 3000;
        TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, n));
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(n, awaitRows(ch, db + ".events", n, Duration.ofSeconds(90)));
            assertEquals(n, ch.queryLong("SELECT uniqExact(id) FROM " + db + ".events"));
            List<JsonNode> rows = ch.query("SELECT toString(user_ts) AS ts, toString(id) AS id, event_type, price,"
                    + " product_id FROM " + db + ".events WHERE event_id IN ('event-0', 'event-2999') ORDER BY id");
            assertEquals(2, rows.size());
            assertEquals(TestEvents.unsignedId(0), rows.get(0).get("id").asText());
            assertEquals("2026-11-25 10:00:00", rows.get(0).get("ts").asText().substring(0, 19));
            assertEquals(TestEvents.unsignedId(2999), rows.get(1).get("id").asText());
            assertEquals("2026-11-25 10:49:59", rows.get(1).get("ts").asText().substring(0, 19));
            assertEquals(TestEvents.event(2999).eventType(), rows.get(1).get("event_type").asText());
            assertEquals(TestEvents.event(2999).price(), rows.get(1).get("price").asDouble());
        }
    }

    @Test
    void a_malformed_message_in_the_middle_neither_stalls_delivery_nor_takes_good_rows_with_it(TestStack stack) {
        String topic = stack.newTopic("engine-bad", 1);
        String db = "engine_" + ProcessHandle.current().pid() + "_bad";
        assertEquals(0, apply(stack, db, topic).exitCode());

        List<String> messages = new ArrayList<>(TestEvents.jsonLines(0, 500));
        messages.add("{\"user_ts\": \"2026-11-25T10:00:00Z\", \"id\": not-json");
        messages.addAll(TestEvents.jsonLines(500, 1000));
        TestKafka.produce(stack.kafka(), topic, messages);
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(1000, awaitRows(ch, db + ".events", 1000, Duration.ofSeconds(90)),
                    "valid rows around a malformed message are missing");
            assertEquals(1000, ch.queryLong("SELECT uniqExact(id) FROM " + db + ".events"));
            if (ch.tableExists(db, "events_errors")) {
                assertEquals(1, awaitRows(ch, db + ".events_errors", 1, Duration.ofSeconds(30)));
                assertTrue(ch.queryText("SELECT raw_message FROM " + db + ".events_errors").contains("not-json"));
            }
        }
    }

    @Test
    void applying_twice_changes_nothing_and_drop_recreates(TestStack stack) {
        String topic = stack.newTopic("engine-twice", 1);
        String db = "engine_" + ProcessHandle.current().pid() + "_twice";
        assertEquals(0, apply(stack, db, topic).exitCode());
        try (ClickHouse ch = stack.connectClickHouse()) {
            String tables = ch.queryText("SELECT name, engine FROM system.tables WHERE database = '" + db + "' ORDER BY name");
            CliRun again = apply(stack, db, topic);
            assertEquals(0, again.exitCode(), again::toString);
            assertEquals(tables, ch.queryText("SELECT name, engine FROM system.tables WHERE database = '" + db
                    + "' ORDER BY name"));
            assertTrue(tables.contains("events_queue\tKafka") && tables.contains("events_mv\tMaterializedView"), tables);

            ch.execute("INSERT INTO " + db + ".events (id, event_id) VALUES (1, 'manual')");
            CliRun drop = apply(stack, db, topic, "--drop");
            assertEquals(0, drop.exitCode(), drop::toString);
            assertTrue(drop.out().contains("-- DROP TABLE IF EXISTS " + db + ".events_mv"), drop::toString);
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".events"));
        }
    }

    @Test
    void dry_run_prints_every_statement_and_sends_none(TestStack stack) {
        String db = "engine_" + ProcessHandle.current().pid() + "_dry";
        CliRun run = apply(stack, db, "whatever", "--dry-run");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("CREATE TABLE IF NOT EXISTS " + db + ".events_queue"), run::toString);
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertFalse(ch.queryText("SHOW DATABASES").contains(db), "--dry-run created the database");
        }
    }

    @Test
    void a_wrong_password_or_an_unreachable_server_is_one_clear_line_and_exit_1(TestStack stack) {
        CliRun wrong = apply(stack, "engine_wrong", "t", "--clickhouse-password", "not-it");
        assertEquals(1, wrong.exitCode(), wrong::toString);
        assertEquals(1, wrong.err().strip().lines().count(), wrong::toString);
        assertTrue(wrong.err().startsWith("error: ClickHouse at http://127.0.0.1:"), wrong::toString);
        assertTrue(wrong.err().contains("refused the credentials of user 'admin'"), wrong::toString);
        assertFalse(wrong.err().contains("not-it"), "the password leaked");

        int closed = Ports.freePort();
        CliRun unreachable = apply(stack, "engine_down", "t", "--clickhouse-url", "http://127.0.0.1:" + closed);
        assertEquals(1, unreachable.exitCode(), unreachable::toString);
        assertEquals("error: cannot reach ClickHouse at http://127.0.0.1:" + closed
                + ": connection refused (is the server running?)", unreachable.err().strip());
    }
}
