package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SIGTERM mid-stream: exit 0, the last batch written, offsets committed, and a restart resumes exactly. */
@WithLocalStack
class GracefulStopIT {
    @TempDir
    Path dir;

    @Test
    void sigterm_writes_the_batch_in_flight_and_commits_before_exiting(TestStack stack) throws Exception {
        String topic = stack.newTopic("stop", 3);
        String db = stack.newDatabase("stop");
        String table = topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 50000\n  max_delay: 2s\n");
        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, TestEvents.jsonLines(0, 40_000), 5_000);
             ClickHouse ch = stack.connectClickHouse()) {
            TransferProcess transfer = TransferProcess.start(config, "stop-1", dir);
            transfer.awaitDelivering(Duration.ofSeconds(60));
            assertEquals(0, transfer.terminate(), transfer.log());
            assertTrue(transfer.log().contains("stopping: the last batch is written"), transfer.log());

            long delivered = count(ch, db + "." + table);
            Map<TopicPartition, OffsetAndMetadata> committed;
            try (Admin admin = Admin.create(stack.kafka().clientProperties())) {
                committed = admin.listConsumerGroupOffsets("transfer-" + db).partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS);
            }
            long committedTotal = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertEquals(delivered, committedTotal, "Kafka's committed offsets do not match what is in ClickHouse");

            producer.await(60_000);
            try (TransferProcess again = TransferProcess.start(config, "stop-2", dir)) {
                assertEquals(40_000, awaitDelivered(ch, db, table, 40_000, Duration.ofSeconds(90)), again.log());
                assertEquals(40_000, distinctKeys(ch, db, table));
                assertEquals(40_000, count(ch, db + "." + table));
            }
        }
    }
}
