package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.kafka.KafkaPreflight;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static dev.clickstream.transfer.it.TransferFixtures.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kafka removes messages the transfer never delivered (retention, here delete-records) while it is stopped: the
 * restart reports the gap with its numbers and delivers everything after it once.
 */
@WithLocalStack
class RetentionGapIT {
    @TempDir
    Path dir;

    @Test
    void messages_removed_before_delivery_are_reported_and_the_rest_delivered_once(TestStack stack) throws Exception {
        String topic = stack.newTopic("gap", 1);
        String db = stack.newDatabase("gap");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 500\n  max_delay: 100ms\n");
        TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, 2000));
        try (ClickHouse ch = stack.connectClickHouse()) {
            try (InProcessTransfer t = InProcessTransfer.start(stack, config, "gap-1")) {
                assertEquals(2000, awaitDelivered(ch, db, table, 2000, Duration.ofSeconds(60)));
            }
            // stopped: 1,000 more arrive, and Kafka drops everything below offset 2500 before the restart
            TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(2000, 3000));
            try (Admin admin = KafkaPreflight.admin(stack.kafka("PLAINTEXT"), Duration.ofSeconds(10))) {
                admin.deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(2500)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            try (InProcessTransfer t = InProcessTransfer.start(stack, config, "gap-2")) {
                TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(3000, 3500));
                assertEquals(3000, awaitDelivered(ch, db, table, 3000, Duration.ofSeconds(60)));
                assertEquals(500, metric(t.httpPort(), "clickstream_transfer_skipped_messages_total"));
                JsonNode gap = TransferFixtures.status(t.httpPort()).get("gaps").get(0);
                assertEquals(2000, gap.get("first_missing_offset").asLong(), gap.toString());
                assertEquals(2500, gap.get("first_available_offset").asLong(), gap.toString());
                assertEquals(500, gap.get("skipped_messages").asLong(), gap.toString());
            }
            assertEquals(3000, count(ch, db + "." + table));
            assertEquals(3000, distinctKeys(ch, db, table));
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE _offset >= 2000 AND"
                    + " _offset < 2500"));
        }
    }
}
