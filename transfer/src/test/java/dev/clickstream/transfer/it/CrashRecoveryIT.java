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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** kill -9 of the transfer at five random moments while it delivers 200,000 events: each line lands once. */
@WithLocalStack
class CrashRecoveryIT {
    private static final int EVENTS = 200_000;
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void every_line_lands_exactly_once_across_five_kill_9s(TestStack stack) throws Exception {
        String topic = stack.newTopic("crash", 3);
        String db = stack.newDatabase("crash");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 3000\n  max_delay: 100ms\n");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> kills = new ArrayList<>();

        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, TestEvents.jsonLines(0, EVENTS), 8_000);
             ClickHouse ch = stack.connectClickHouse()) {
            for (int k = 1; k <= KILLS; k++) {
                TransferProcess transfer = TransferProcess.start(config, "crash-" + k, dir);
                try {
                    transfer.awaitDelivering(Duration.ofSeconds(60));
                    long delivered = count(ch, db + "." + table);
                    int moreRows = 500 + random.nextInt(4_000);
                    // the kill lands at a moment chosen by the data, not by the clock: after some more rows
                    Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(20),
                            () -> count(ch, db + "." + table) >= delivered + moreRows);
                    kills.add("after " + count(ch, db + "." + table) + " rows");
                } finally {
                    transfer.kill();
                }
            }
            producer.await(120_000);
            try (TransferProcess last = TransferProcess.start(config, "crash-last", dir)) {
                assertEquals(EVENTS, awaitDelivered(ch, db, table, EVENTS, Duration.ofSeconds(180)),
                        "seed " + seed + ", kills " + kills + "\n" + last.log());
                assertEquals(EVENTS, count(ch, db + "." + table), "seed " + seed + ", kills " + kills);
                assertEquals(EVENTS, distinctKeys(ch, db, table), "a line landed twice; seed " + seed + ", kills " + kills);
                assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(id) FROM " + db + "." + table));
                assertEquals(0, count(ch, db + "." + table + "_unparsed"));
                assertEquals(0, last.metric("clickstream_transfer_skipped_messages_total"));
            }
        }
    }
}
