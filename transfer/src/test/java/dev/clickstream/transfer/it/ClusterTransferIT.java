package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.cluster.ClusterState;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer into a 1x2 cluster of 18.16 servers (`target.cluster`): its tables are created ON CLUSTER as
 * ReplicatedMergeTree; a kill -9 of the transfer mid-stream and a new instance: every line once, and both
 * replicas converge to the same rows and the same offset log.
 */
class ClusterTransferIT {
    private static final int EVENTS = 40_000;

    @TempDir
    Path dir;

    @Test
    void a_transfer_killed_mid_stream_into_a_replicated_cluster_leaves_every_line_once_on_both_replicas() throws Exception {
        LocalStack stack = new LocalStack(dir.resolve("stack"));
        PrintWriter quiet = new PrintWriter(new StringWriter(), true);
        LocalStack.UpOptions up = LocalStack.UpOptions.defaults().withRandomPorts()
                .withCluster(ClusterShape.parse("1x2"));
        stack.up(up, quiet);
        try {
            ConnectionProfile profile = stack.profile();
            ClusterState.Member second = stack.readState().orElseThrow().cluster().others().get(0);
            ClickHouseEndpoint first = ClickHouseEndpoint.of(profile.clickhouseConnection());
            ClickHouseEndpoint other = TransferFixtures.endpointOf(second, first);
            KafkaEndpoint kafka = KafkaEndpoint.of(profile.kafkaConnection());
            String topic = profile.topicOrDefault();
            Path config = TransferFixtures.config(dir, stack.profileFile(), topic, "replicated",
                    "  cluster: " + ClusterShape.NAME + "\n", "  max_rows: 2000\n  max_delay: 100ms\n");

            try (PacedProducer producer = PacedProducer.start(kafka, topic, TestEvents.jsonLines(0, EVENTS), 4_000);
                 ClickHouse a = ClickHouse.connect(first)) {
                TransferProcess transfer = TransferProcess.start(config, "cluster-1", dir);
                transfer.awaitDelivering(Duration.ofSeconds(60));
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(200),
                        () -> rows(a) > 5_000), "no rows on the first replica");
                transfer.kill();

                TransferProcess again = TransferProcess.start(config, "cluster-2", dir);
                again.awaitDelivering(Duration.ofSeconds(60));
                producer.await(60_000);
                assertTrue(Deadline.in(Duration.ofSeconds(120)).until(Duration.ofMillis(250),
                        () -> rows(a) >= EVENTS), "rows: " + rows(a) + "\n" + again.log());
                assertEquals(0, again.terminate(), again.log());
            }
            try (ClickHouse a = ClickHouse.connect(first); ClickHouse b = ClickHouse.connect(other)) {
                for (ClickHouse ch : List.of(a, b)) {
                    assertTrue(Deadline.in(Duration.ofSeconds(120)).until(Duration.ofMillis(250),
                            () -> rows(ch) >= EVENTS), "a replica did not catch up: " + rows(ch));
                    assertEquals(EVENTS, rows(ch), "a line landed twice");
                    assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM "
                            + "replicated.clickhouse_events"));
                    assertEquals("ReplicatedMergeTree", ch.queryText("SELECT engine FROM system.tables WHERE "
                            + "database = 'replicated' AND name = 'clickhouse_events_offsets'").strip());
                }
                String sum = "SELECT sum(cityHash64(_partition, _offset, _line, id)) FROM replicated.clickhouse_events";
                assertEquals(a.queryText(sum), b.queryText(sum), "the replicas hold different rows");
                String log = "SELECT count(), max(last_offset) FROM replicated.clickhouse_events_offsets";
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250),
                        () -> a.queryText(log).equals(b.queryText(log))), "the offset log differs between replicas");
            }
        } finally {
            stack.down(true, quiet);
        }
    }

    private static long rows(ClickHouse ch) {
        return ch.tableExists("replicated", "clickhouse_events")
                ? ch.queryLong("SELECT count() FROM replicated.clickhouse_events") : 0;
    }
}
