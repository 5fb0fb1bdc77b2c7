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
 * Failover inside a shard of a 2x2 cluster of 18.16 servers. The transfer is configured with shard 1's first
 * server and writes partition 1 to shard 2's first replica. Half the lines delivered and replicated, that replica is
 * killed (-9) and the other half produced: the transfer moves to shard 2's second replica once the first has lost its
 * ZooKeeper session. Then the transfer is killed, a new instance starts (and moves) while the replica is still down,
 * and the replica comes back with {@code up}. Every line lands once, on the shard the map gives its partition, and
 * the two replicas of each shard hold the same rows.
 */
class ShardedFailoverIT {
    private static final int EVENTS = 30_000;
    private static final int HALF = EVENTS / 2;
    private static final String DATABASE = "shardfail";
    private static final String TABLE = DATABASE + ".clickhouse_events";
    private static final String MOVED = "delivery moves to it";

    @TempDir
    Path dir;

    @Test
    void a_replica_of_the_other_shard_killed_mid_stream_then_the_transfer_leaves_every_line_once_on_its_shard()
            throws Exception {
        LocalStack stack = new LocalStack(dir.resolve("stack"));
        PrintWriter quiet = new PrintWriter(new StringWriter(), true);
        LocalStack.UpOptions up = LocalStack.UpOptions.defaults().withRandomPorts().withCluster(ClusterShape.parse("2x2"));
        stack.up(up, quiet);
        try {
            ConnectionProfile profile = stack.profile();
            ClusterState cluster = stack.readState().orElseThrow().cluster();
            ClickHouseEndpoint configured = ClickHouseEndpoint.of(profile.clickhouseConnection());
            KafkaEndpoint kafka = KafkaEndpoint.of(profile.kafkaConnection());
            String topic = profile.topicOrDefault();
            Path config = TransferFixtures.config(dir, stack.profileFile(), topic, DATABASE,
                    "  cluster: " + ClusterShape.NAME + "\n", "  max_rows: 2000\n  max_delay: 100ms\n");
            ClusterState.Member killed = member(cluster, 2, 1);

            long started = System.nanoTime();
            String phase = "start";
            try (ClickHouse s1r1 = connect(member(cluster, 1, 1), configured);
                 ClickHouse s1r2 = connect(member(cluster, 1, 2), configured);
                 ClickHouse s2r1 = connect(killed, configured);
                 ClickHouse s2r2 = connect(member(cluster, 2, 2), configured);
                 TransferProcess transfer = TransferProcess.start(config, "shardfail-1", dir);
                 ReplicaChecks.Later again = new ReplicaChecks.Later(config, dir, "shardfail-2")) {
                try {
                    try (PacedProducer first = PacedProducer.start(kafka, topic, TestEvents.jsonLines(0, HALF), 3_000)) {
                        transfer.awaitDelivering(Duration.ofSeconds(60));
                        first.await(60_000);
                    }
                    // shard 2's second replica has every part when the first dies: moving to it is safe, and must happen
                    assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                            () -> rows(s1r1, TABLE) + rows(s2r1, TABLE) == HALF && rows(s2r2, TABLE) == rows(s2r1, TABLE)
                                    && ReplicaChecks.queue(s2r2, DATABASE) == 0),
                            "the first half is not on shard 1 and both replicas of shard 2");
                    phase = "shard 2 replica 1 killed";
                    long onShard2 = rows(s2r1, TABLE);
                    kill9(killed.pid());
                    try (PacedProducer second = PacedProducer.start(kafka, topic, TestEvents.jsonLines(HALF, EVENTS),
                            300)) { // slow: lines still come when the second instance starts, some 40 s on
                        // shard 2's replica 1 loses its ZooKeeper session in about 30 s; only then may the transfer move
                        assertTrue(Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(250),
                                () -> transfer.log().contains(MOVED)), "no move to shard 2's replica 2:\n" + tail(transfer));
                        assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100),
                                () -> rows(s2r2, TABLE) >= onShard2 + 1_000),
                                "nothing delivered on shard 2's replica 2 after the move:\n" + tail(transfer));
                        transfer.kill();
                        phase = "transfer killed";

                        // a new instance writes to shard 2's replica 1 first, which is still down: it moves too
                        TransferProcess next = again.start();
                        assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250),
                                () -> next.log().contains(MOVED)), "the new instance did not move:\n" + tail(next));
                        next.awaitDelivering(Duration.ofSeconds(60));
                        phase = "shard 2 replica 1 back";
                        stack.up(up, quiet);
                        second.await(120_000);
                    }
                    assertTrue(Deadline.in(Duration.ofSeconds(180)).until(Duration.ofMillis(250),
                            () -> rows(s1r1, TABLE) + rows(s2r1, TABLE) >= EVENTS
                                    && rows(s1r2, TABLE) + rows(s2r2, TABLE) >= EVENTS),
                            "rows: shard 1 " + rows(s1r1, TABLE) + ", " + rows(s1r2, TABLE) + "; shard 2 "
                                    + rows(s2r1, TABLE) + ", " + rows(s2r2, TABLE));
                    assertEquals(0, again.process().terminate(), again.tail());
                    phase = "check";
                    long shard1 = assertConverged(List.of(s1r1, s1r2), TABLE, List.of(0, 2));
                    long shard2 = assertConverged(List.of(s2r1, s2r2), TABLE, List.of(1));
                    assertEquals(EVENTS, shard1 + shard2, "a line lost or twice across the shards");
                    assertEquals(EVENTS, s1r1.queryLong("SELECT uniqExact(id) FROM " + TABLE + "_all"));
                    System.out.printf("ShardedFailoverIT: %d lines, shard 1 %d, shard 2 %d (%d before the kill of its"
                            + " replica 1); %.1f s%n", EVENTS, shard1, shard2, onShard2, (System.nanoTime() - started) / 1e9);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("at " + phase + ": " + e.getMessage() + "\n--- shardfail-1\n"
                            + tail(transfer) + "\n--- shardfail-2\n" + again.tail() + "\n--- shard 2 replica 1\n"
                            + replicas(s2r1, DATABASE) + "\n--- shard 2 replica 2\n" + replicas(s2r2, DATABASE), e);
                }
            }
        } finally {
            stack.down(true, quiet);
        }
    }

    private static ClusterState.Member member(ClusterState cluster, int shard, int replica) {
        return cluster.members().stream().filter(m -> m.shard() == shard && m.replica() == replica).findFirst()
                .orElseThrow();
    }

    private static ClickHouse connect(ClusterState.Member member, ClickHouseEndpoint configured) {
        return ClickHouse.connect(TransferFixtures.endpointOf(member, configured), Duration.ofSeconds(2),
                Duration.ofSeconds(20));
    }
}
