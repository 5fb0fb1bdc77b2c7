package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two instances in one group: the second joins mid-stream, takes partitions, and is killed: exactly once. */
@WithLocalStack
class ScaleOutIT {
    private static final int EVENTS = 120_000;

    @TempDir
    Path dir;

    @Test
    void a_second_instance_joining_and_dying_mid_stream_loses_and_doubles_nothing(TestStack stack) throws Exception {
        String topic = stack.newTopic("scale", 6);
        String db = stack.newDatabase("scale");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 2000\n  max_delay: 100ms\n");
        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, TestEvents.jsonLines(0, EVENTS), 4_000);
             TransferProcess first = TransferProcess.start(config, "scale-a", dir);
             ClickHouse ch = stack.connectClickHouse()) {
            first.awaitDelivering(Duration.ofSeconds(60));
            try (TransferProcess second = TransferProcess.start(config, "scale-b", dir)) {
                second.awaitDelivering(Duration.ofSeconds(60));
                double before = second.metric("clickstream_transfer_rows_total");
                assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100),
                        () -> second.metric("clickstream_transfer_rows_total") >= before + 3_000),
                        "the second instance does not deliver:\n" + second.log());
                assertTrue(first.log().contains("left this instance"), "no partition moved to the second instance:\n"
                        + first.log());
                second.kill();
            }
            producer.await(120_000);
            assertEquals(EVENTS, awaitDelivered(ch, db, table, EVENTS, Duration.ofSeconds(120)), first.log());
            assertEquals(EVENTS, count(ch, db + "." + table));
            assertEquals(EVENTS, distinctKeys(ch, db, table), "a line landed twice");
            assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(id) FROM " + db + "." + table));
            assertTrue(first.isAlive(), first.log());
        }
    }
}
