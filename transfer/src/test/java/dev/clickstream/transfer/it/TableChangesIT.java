package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntUnaryOperator;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static dev.clickstream.transfer.it.TransferFixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person changes the target table while the transfer delivers into it (ClickHouse 18.16): after each change every
 * new line is in the target with a correct value or in _unparsed with its reason, none twice, none lost, and
 * /healthz is 200 again.
 */
@WithLocalStack
class TableChangesIT {
    /** Event n has duration_ms 100 + n and id 2^63 + n: duration_ms = id - (2^63 - 100). */
    private static final String DURATION_OF_ID = "(id - 9223372036854775708)";

    @TempDir
    Path dir;

    @Test
    void altered_retyped_dropped_and_added_columns_keep_every_line_once_and_right(TestStack stack) throws Exception {
        String topic = stack.newTopic("altered", 2);
        String db = stack.newDatabase("altered");
        String name = topic.replace('-', '_');
        String table = db + "." + name;
        try (InProcessTransfer transfer = InProcessTransfer.start(stack,
                TransferFixtures.config(dir, stack, topic, db, "", ""), "altered");
             ClickHouse ch = stack.connectClickHouse()) {
            int port = transfer.httpPort();
            deliver(stack, ch, topic, db, name, 0, 200, n -> 100 + n);

            ch.execute("ALTER TABLE " + table + " MODIFY COLUMN duration_ms Nullable(Float64)");
            deliver(stack, ch, topic, db, name, 200, 400, n -> 100 + n);
            assertEquals(200, ch.queryLong("SELECT count() FROM " + table + " WHERE id >= " + id(200) + " AND id < "
                    + id(400) + " AND duration_ms = toFloat64(" + DURATION_OF_ID + ")"), "UInt64 values read as Float64");

            ch.execute("ALTER TABLE " + table + " MODIFY COLUMN duration_ms Nullable(String)");
            deliver(stack, ch, topic, db, name, 400, 600, n -> 100 + n);
            assertEquals(200, ch.queryLong("SELECT count() FROM " + table + " WHERE id >= " + id(400) + " AND id < "
                    + id(600) + " AND duration_ms = toString(" + DURATION_OF_ID + ")"));

            // Narrower than some values: even events fit a UInt16, odd ones (70000) go to _unparsed with the reason.
            ch.execute("ALTER TABLE " + table + " MODIFY COLUMN duration_ms Nullable(UInt16)");
            deliver(stack, ch, topic, db, name, 600, 800, n -> n % 2 == 0 ? 1000 : 70_000);
            assertEquals(100, ch.queryLong("SELECT count() FROM " + table + " WHERE id >= " + id(600) + " AND id < "
                    + id(800) + " AND duration_ms = 1000"));
            assertEquals(100, ch.queryLong("SELECT count() FROM " + table + "_unparsed WHERE reason = 'column duration_ms"
                    + " is Nullable(UInt16) in the table: value 70000 of field duration_ms (uint64) does not fit'"));

            ch.execute("ALTER TABLE " + table + " DROP COLUMN referrer");
            deliver(stack, ch, topic, db, name, 800, 900, n -> 100 + n);
            assertEquals(100, ch.queryLong("SELECT count() FROM " + table + " WHERE id >= " + id(800)
                    + " AND _rest LIKE '%\"referrer\":%'"), "the field of a dropped column goes to _rest");

            ch.execute("ALTER TABLE " + table + " ADD COLUMN plan String DEFAULT 'free'");
            deliver(stack, ch, topic, db, name, 900, 1000, n -> 100 + n);
            assertEquals(100, ch.queryLong("SELECT count() FROM " + table + " WHERE id >= " + id(900)
                    + " AND plan = 'free'"), "a column the config does not fill gets its default");

            ch.execute("DROP TABLE " + table);
            TestKafka.produce(stack.kafka(), topic, lines(1000, 1100, n -> 100 + n));
            assertEquals(100, Deadline.in(Duration.ofSeconds(60)).poll(Duration.ofMillis(200), () -> {
                long n = ch.tableExists(db, name) ? ch.queryLong("SELECT count() FROM " + table) : 0;
                return n >= 100 ? java.util.Optional.of(n) : java.util.Optional.<Long>empty();
            }).orElse(-1L), "a dropped table is created again and the new lines land in it");
            assertEquals(0, ch.queryLong("SELECT count() FROM " + table + " WHERE id < " + id(1000)));

            assertEquals(100, ch.queryLong("SELECT count() FROM " + table + "_unparsed"),
                    "the unparsed table kept its lines");
            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(200),
                    () -> get(port, "/healthz").statusCode() == 200), get(port, "/healthz").body());
            assertTrue(TransferFixtures.metricLine(port, "clickstream_transfer_write_errors_total{class=\"table_changed\"}")
                    >= 1, "the changes were seen as such");
        }
    }

    @Test
    void a_dropped_database_stops_the_service_with_one_error_line_and_exit_1(TestStack stack) throws Exception {
        String topic = stack.newTopic("dbgone", 1);
        String db = stack.newDatabase("dbgone");
        String name = topic.replace('-', '_');
        try (TransferProcess p = TransferProcess.start(TransferFixtures.config(dir, stack, topic, db, "", ""),
                "dbgone", dir);
             ClickHouse ch = stack.connectClickHouse()) {
            TestKafka.produce(stack.kafka(), topic, lines(0, 100, n -> 100 + n));
            p.awaitDelivering(Duration.ofSeconds(60));
            assertEquals(100, awaitDelivered(ch, db, name, 100, Duration.ofSeconds(60)));
            ch.execute("DROP DATABASE " + db);
            TestKafka.produce(stack.kafka(), topic, lines(100, 110, n -> 100 + n));
            assertTrue(p.awaitExit(Duration.ofSeconds(30)), "still running after its database was dropped:\n" + p.log());
            assertEquals(1, p.exitCode(), p.log());
            List<String> errors = p.log().lines().filter(l -> l.startsWith("error: ")).toList();
            assertEquals(1, errors.size(), p.log());
            assertTrue(errors.get(0).contains("cannot deliver to " + db + "." + name) && errors.get(0).contains(
                    "CREATE DATABASE " + db), errors.get(0));
            assertFalse(ch.queryText("SELECT name FROM system.databases").lines().anyMatch(db::equals),
                    "the transfer must not create the database a person dropped");
        }
    }

    private static String id(int n) {
        return Long.toUnsignedString(TestEvents.ID_BASE + n);
    }

    /** Events from..to-1 with duration_ms set by the function. */
    private static List<String> lines(int from, int to, IntUnaryOperator duration) {
        List<String> out = new java.util.ArrayList<>();
        for (int n = from; n < to; n++) {
            String line = TestEvents.jsonLines(n, n + 1).get(0);
            out.add(line.replaceFirst("\"duration_ms\":\\d+", "\"duration_ms\":" + duration.applyAsInt(n)));
        }
        return out;
    }

    /** Produces events from..to-1 and waits until both tables hold every line produced so far, each once. */
    private static void deliver(TestStack stack, ClickHouse ch, String topic, String db, String name, int from, int to,
                                IntUnaryOperator duration) {
        TestKafka.produce(stack.kafka(), topic, lines(from, to, duration));
        assertEquals(to, awaitDelivered(ch, db, name, to, Duration.ofSeconds(60)), "lines " + from + ".." + to);
        assertEquals(to, distinctKeys(ch, db, name), "a line landed twice");
    }

}
