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

/**
 * Two instances in one group during a steady stream; one stands still (SIGSTOP) until the group has given its
 * partitions to the other, three times, and goes on (SIGCONT) holding the batch it had: every line once.
 */
@WithLocalStack
class FrozenInstanceIT {
    private static final int EVENTS = 90_000;
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void an_instance_frozen_past_its_session_timeout_writes_nothing_twice(TestStack stack) throws Exception {
        String topic = stack.newTopic("frozen", PARTITIONS);
        String db = stack.newDatabase("frozen");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 2000\n  max_delay: 300ms\n");
        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, TestEvents.jsonLines(0, EVENTS), 3_000);
             TransferProcess a = TransferProcess.start(config, "frozen-a", dir);
             TransferProcess b = TransferProcess.start(config, "frozen-b", dir);
             ClickHouse ch = stack.connectClickHouse()) {
            a.awaitDelivering(Duration.ofSeconds(60));
            b.awaitDelivering(Duration.ofSeconds(60));
            for (int round = 1; round <= 3; round++) {
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                        () -> b.ownedPartitions() > 0), "round " + round + ": b owns nothing\n" + b.log());
                b.freeze();
                // b stays frozen until the group, past b's 6 s session timeout, has given everything to a
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                        () -> a.ownedPartitions() == PARTITIONS), "round " + round + ": a never took over\n" + a.log());
                b.thaw();
            }
            producer.await(120_000);
            long delivered = awaitDelivered(ch, db, table, EVENTS, Duration.ofSeconds(120));
            assertEquals(EVENTS, delivered, () -> twice(ch, db, table) + a.log() + b.log());
            assertEquals(EVENTS, count(ch, db + "." + table), () -> "a line landed twice\n" + twice(ch, db, table)
                    + b.log());
            assertEquals(EVENTS, distinctKeys(ch, db, table));
            assertTrue(b.log().contains("stood still"), "b noticed none of its pauses:\n" + b.log());
            assertTrue(a.isAlive() && b.isAlive(), a.log() + b.log());
        }
    }

    /** The lines that landed more than once, by partition, and the offset log's ranges over them: who wrote what. */
    private static String twice(ClickHouse ch, String db, String table) {
        String t = db + "." + table;
        String lines = ch.queryText("SELECT _partition, min(_offset), max(_offset), count() FROM (SELECT _partition,"
                + " _offset, _line FROM " + t + " GROUP BY _partition, _offset, _line HAVING count() > 1)"
                + " GROUP BY _partition ORDER BY _partition");
        String log = ch.queryText("SELECT partition, first_offset, last_offset, instance, batch_id, written_at FROM " + t
                + "_offsets ORDER BY partition, first_offset");
        return "lines twice (partition, first offset, last offset, lines):\n" + lines + "\noffset log:\n" + log + "\n";
    }
}
