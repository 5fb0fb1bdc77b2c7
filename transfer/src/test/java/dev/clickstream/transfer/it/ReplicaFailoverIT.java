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

import static dev.clickstream.transfer.it.ReplicaChecks.assertConverged;
import static dev.clickstream.transfer.it.ReplicaChecks.kill9;
import static dev.clickstream.transfer.it.ReplicaChecks.replicas;
import static dev.clickstream.transfer.it.ReplicaChecks.rows;
import static dev.clickstream.transfer.it.ReplicaChecks.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replica failover on a 1x2 cluster of 18.16 servers: the transfer writes to replica 1; replica 1 is killed (-9)
 * mid-stream, then the transfer; a new instance starts while replica 1 is down (through replica 2), then replica 1
 * comes back with {@code up}. Every line lands once, and both replicas hold the same rows.
 */
class ReplicaFailoverIT {
    private static final int EVENTS = 40_000;
    private static final String TABLE = "failover.clickhouse_events";

    @TempDir
    Path dir;

    @Test
    void a_replica_killed_mid_stream_then_the_transfer_leaves_every_line_once_on_both_replicas() throws Exception {
        LocalStack stack = new LocalStack(dir.resolve("stack"));
        PrintWriter quiet = new PrintWriter(new StringWriter(), true);
        LocalStack.UpOptions up = LocalStack.UpOptions.defaults().withRandomPorts().withCluster(ClusterShape.parse("1x2"));
        stack.up(up, quiet);
        try {
            ConnectionProfile profile = stack.profile();
            ClusterState cluster = stack.readState().orElseThrow().cluster();
            ClickHouseEndpoint first = ClickHouseEndpoint.of(profile.clickhouseConnection());
            ClickHouseEndpoint second = TransferFixtures.endpointOf(cluster.others().get(0), first);
            KafkaEndpoint kafka = KafkaEndpoint.of(profile.kafkaConnection());
            String topic = profile.topicOrDefault();
            Path config = TransferFixtures.config(dir, stack.profileFile(), topic, "failover",
                    "  cluster: " + ClusterShape.NAME + "\n", "  max_rows: 2000\n  max_delay: 100ms\n");

            long started = System.nanoTime();
            String phase = "start";
            try (PacedProducer producer = PacedProducer.start(kafka, topic, TestEvents.jsonLines(0, EVENTS), 2_000);
                 ClickHouse a = ClickHouse.connect(first, Duration.ofSeconds(2), Duration.ofSeconds(20));
                 ClickHouse b = ClickHouse.connect(second, Duration.ofSeconds(2), Duration.ofSeconds(20));
                 TransferProcess transfer = TransferProcess.start(config, "failover-1", dir);
                 ReplicaChecks.Later again = new ReplicaChecks.Later(config, dir, "failover-2")) {
                try {
                    transfer.awaitDelivering(Duration.ofSeconds(60));
                    assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                            () -> rows(a, TABLE) > 5_000), "no rows on replica 1");
                    phase = "replica 1 killed";
                    long atKill = rows(a, TABLE);
                    kill9(cluster.first().pid());
                    // the transfer waits for replica 1's ZooKeeper session to expire, then moves or keeps waiting
                    assertTrue(Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(250),
                            () -> transfer.log().contains("delivery moves to it") || transfer.log().contains(
                                    "no replica that answers has every part")), "no failover decision:\n" + tail(transfer));
                    boolean moved = transfer.log().contains("delivery moves to it");
                    if (moved) { // it delivers on replica 2 for a while, so replica 1 comes back behind it
                        long atMove = rows(b, TABLE);
                        assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100),
                                () -> rows(b, TABLE) >= Math.min(EVENTS, atMove + 4_000)),
                                "nothing delivered on replica 2 after the move:\n" + tail(transfer));
                    }
                    long atSecondKill = rows(b, TABLE);
                    transfer.kill();
                    phase = "transfer killed";

                    again.start();
                    assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250),
                            () -> again.process().log().contains("starting through")), "no start through replica 2:\n"
                            + tail(again.process()));
                    phase = "replica 1 back";
                    stack.up(up, quiet);
                    producer.await(120_000);
                    assertTrue(Deadline.in(Duration.ofSeconds(180)).until(Duration.ofMillis(250),
                            () -> rows(a, TABLE) >= EVENTS && rows(b, TABLE) >= EVENTS),
                            "rows: " + rows(a, TABLE) + ", " + rows(b, TABLE));
                    assertEquals(0, again.process().terminate(), tail(again.process()));
                    phase = "check";
                    assertEquals(EVENTS, assertConverged(List.of(a, b), TABLE, List.of(0, 1, 2)), "a line lost");
                    for (ClickHouse ch : List.of(a, b)) {
                        assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(id) FROM " + TABLE));
                    }
                    System.out.printf("ReplicaFailoverIT: %d lines, %d on replica 1 at its kill, first instance %s,"
                                    + " %d on replica 2 at the transfer's kill, %.1f s%n", EVENTS, atKill,
                            moved ? "moved to replica 2" : "waited for replica 1", atSecondKill,
                            (System.nanoTime() - started) / 1e9);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("at " + phase + ": " + e.getMessage() + "\n--- failover-1\n" + tail(transfer)
                            + "\n--- failover-2\n" + again.tail() + "\n--- replica 1\n" + replicas(a, "failover")
                            + "\n--- replica 2\n" + replicas(b, "failover"), e);
                }
            }
        } finally {
            stack.down(true, quiet);
        }
    }
}
