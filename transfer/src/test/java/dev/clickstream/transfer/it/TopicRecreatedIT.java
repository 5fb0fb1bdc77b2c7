package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.stack.kafka.KafkaBroker;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A topic deleted and created again under the same name (or moved to another cluster) is a new topic: it is
 * delivered from its start, none of its lines is skipped as "present" because the old topic left a row at the
 * same offset, and none is written twice across a kill -9.
 */
@WithLocalStack
class TopicRecreatedIT {
    private static final String NEW = "toUInt64OrZero(replaceOne(event_id, 'event-', '')) >= 5000";

    @TempDir
    Path dir;

    @Test
    void a_recreated_topic_is_delivered_as_new_exactly_once(TestStack stack) throws Exception {
        String topic = stack.newTopic("recreated", 2);
        String db = stack.newDatabase("recreated");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 250\n  max_delay: 100ms\n");
        TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, 2000));
        try (ClickHouse ch = stack.connectClickHouse()) {
            try (InProcessTransfer t = InProcessTransfer.start(stack, config, "recreated-1")) {
                assertEquals(2000, awaitDelivered(ch, db, table, 2000, Duration.ofSeconds(60)));
            }
            long oldest = Instant.now().getEpochSecond();
            recreate(stack, topic, 2);
            // the new topic's messages must be younger than the old ones by a whole second (18.16 keeps seconds)
            assertTrue(Deadline.in(Duration.ofSeconds(5)).until(Duration.ofMillis(20),
                    () -> Instant.now().getEpochSecond() > oldest));

            // fewer messages than before, a kill -9, then more: offsets of the old topic's window come round again
            TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(5000, 5600));
            String firstLog;
            try (TransferProcess first = TransferProcess.start(config, "recreated-2", dir)) {
                assertEquals(600, awaitNew(ch, db + "." + table, 600), first.log());
                first.kill();
                firstLog = first.log();
            }
            TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(5600, 7000));
            try (TransferProcess second = TransferProcess.start(config, "recreated-3", dir)) {
                assertEquals(2000, awaitNew(ch, db + "." + table, 2000), second.log());
                assertEquals(2000, ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE " + NEW),
                        "a line of the new topic landed twice");
                assertEquals(2000, ch.queryLong("SELECT uniqExact(event_id) FROM " + db + "." + table + " WHERE " + NEW));
                assertEquals(2000, ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE NOT " + NEW),
                        "the old topic's rows stay as they were");
                assertTrue(firstLog.contains("has no delivery history"), "the new topic starts from scratch:\n" + firstLog);
            }
        }
    }

    private static long awaitNew(ClickHouse ch, String table, long expected) {
        Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(200),
                () -> ch.queryLong("SELECT count() FROM " + table + " WHERE " + NEW) >= expected);
        return ch.queryLong("SELECT count() FROM " + table + " WHERE " + NEW);
    }

    /** Deletes the topic and creates it again with the same name; Kafka deletes in the background. */
    private static void recreate(TestStack stack, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaPreflight.admin(stack.kafka("PLAINTEXT"), Duration.ofSeconds(10))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100), () -> {
                try {
                    return !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
                } catch (Exception e) {
                    return false;
                }
            }), "topic " + topic + " was not deleted");
        }
        assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(200), () -> {
            try {
                return KafkaBroker.ensureTopic(stack.kafka("PLAINTEXT"), topic, partitions);
            } catch (RuntimeException e) {
                return false; // still marked for deletion
            }
        }), "topic " + topic + " could not be created again");
    }
}
