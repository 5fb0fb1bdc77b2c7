package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * While a partition re-reads its uncertain window after a crash, every batch it logs starts at the window's
 * first offset: a second crash then still resumes from there, and the window's missing lines are not lost.
 */
@WithLocalStack
class RecoveryWindowIT {
    @TempDir
    Path dir;

    @Test
    void batches_re_reading_the_window_keep_it_in_the_offset_log(TestStack stack) throws Exception {
        String topic = stack.newTopic("window", 1);
        String db = stack.newDatabase("window");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 10\n  max_delay: 50ms\n");
        try (ClickHouse ch = stack.connectClickHouse()) {
            TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, 50));
            try (InProcessTransfer first = InProcessTransfer.start(stack, config, "window-1")) {
                assertEquals(50, awaitDelivered(ch, db, table, 50, Duration.ofSeconds(60)));
            }
            // The state a crash leaves: the two newest logged batches cover 0..199, only 0..49 are written.
            ch.execute("INSERT INTO " + db + "." + table + "_offsets (topic, partition, first_offset, last_offset,"
                    + " batch_id, instance, written_at) VALUES ('" + topic + "', 0, 0, 99, 'a', 'crashed', now()),"
                    + " ('" + topic + "', 0, 100, 199, 'b', 'crashed', now())");
            TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(50, 300));
            try (InProcessTransfer second = InProcessTransfer.start(stack, config, "window-2")) {
                assertEquals(300, awaitDelivered(ch, db, table, 300, Duration.ofSeconds(60)));
            }
            assertEquals(300, distinctKeys(ch, db, table));
            String inWindow = "FROM " + db + "." + table + "_offsets WHERE instance = 'window-2' AND last_offset <= 199";
            long batches = ch.queryLong("SELECT count() " + inWindow);
            assertTrue(batches >= 5, "10-row batches re-read the window in several batches, got " + batches);
            assertEquals(0, ch.queryLong("SELECT min(first_offset) " + inWindow));
            assertEquals(0, ch.queryLong("SELECT max(first_offset) " + inWindow),
                    "a batch inside the window was logged from its own first offset");
        }
    }
}
