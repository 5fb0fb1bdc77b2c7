package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static dev.clickstream.transfer.it.TransferFixtures.get;
import static dev.clickstream.transfer.it.TransferFixtures.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClickHouse stopped for 20 s mid-stream and started again: no loss, no duplicate, lag recovers. */
@WithLocalStack
class ClickHouseOutageIT {
    private static final int EVENTS = 120_000;
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void a_clickhouse_outage_delays_delivery_but_loses_and_doubles_nothing(TestStack stack) throws Exception {
        String topic = stack.newTopic("outage", 3);
        String db = stack.newDatabase("outage");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 2000\n  max_delay: 100ms\n");
        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, TestEvents.jsonLines(0, EVENTS), 3_000);
             InProcessTransfer transfer = InProcessTransfer.start(stack, config, "outage")) {
            int port = transfer.httpPort();
            try (ClickHouse ch = stack.connectClickHouse()) {
                Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100), () -> count(ch, db + "." + table) > 10_000);
            }
            long stoppedAt = System.nanoTime();
            stack.stack().stopClickHouse();

            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(200),
                    () -> get(port, "/healthz").statusCode() == 503), "/healthz does not report the outage");
            assertTrue(get(port, "/healthz").body().contains("cannot write to ClickHouse"), get(port, "/healthz").body());
            assertTrue(metric(port, "clickstream_transfer_retries_total") > 0);
            assertEquals(1, metric(port, "clickstream_transfer_failing"));
            // the outage lasts its full length: the scenario, not a wait for a result
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));

            stack.stack().up(LocalStack.UpOptions.defaults().withRandomPorts(), new PrintWriter(new StringWriter(), true));
            producer.await(120_000);
            try (ClickHouse ch = stack.connectClickHouse()) {
                assertEquals(EVENTS, awaitDelivered(ch, db, table, EVENTS, Duration.ofSeconds(120)));
                assertEquals(EVENTS, count(ch, db + "." + table));
                assertEquals(EVENTS, distinctKeys(ch, db, table), "a line landed twice");
                assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(id) FROM " + db + "." + table));
            }
            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(200),
                    () -> get(port, "/healthz").statusCode() == 200 && lag(port) == 0), "lag did not recover: "
                    + get(port, "/status").body());
            assertEquals(0, metric(port, "clickstream_transfer_failing"));
            assertEquals(0, metric(port, "clickstream_transfer_skipped_messages_total"));
        }
    }

    private static long lag(int port) {
        return get(port, "/status").body().lines().filter(l -> l.startsWith("  \"lag\" : ")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(-1L);
    }
}
