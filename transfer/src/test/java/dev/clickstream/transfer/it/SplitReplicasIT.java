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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.clickstream.transfer.it.ReplicaChecks.assertConverged;
import static dev.clickstream.transfer.it.ReplicaChecks.rows;
import static dev.clickstream.transfer.it.ReplicaChecks.tail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of one group on a 1x2 cluster, each configured with its own replica: one joins while the other
 * delivers (a rebalance hands it partitions the other wrote on the other replica), then the first is killed (-9)
 * and the second takes every partition. Positions are read on a replica only once it has every part the cluster
 * committed, so every line lands once, and both replicas hold the same rows.
 */
class SplitReplicasIT {
    private static final int EVENTS = 30_000;
    /** Lines produced before the kill's takeover; the rest after it. */
    private static final int FIRST = 24_000;
    private static final String DATABASE = "split";
    private static final String TABLE = DATABASE + ".clickhouse_events";

    @TempDir
    Path dir;

    @Test
    void instances_of_one_group_on_different_replicas_leave_every_line_once_across_a_join_and_a_kill_9()
            throws Exception {
        LocalStack stack = new LocalStack(dir.resolve("stack"));
        PrintWriter quiet = new PrintWriter(new StringWriter(), true);
        stack.up(LocalStack.UpOptions.defaults().withRandomPorts().withCluster(ClusterShape.parse("1x2")), quiet);
        try {
            ConnectionProfile profile = stack.profile();
            ClusterState cluster = stack.readState().orElseThrow().cluster();
            ClusterState.Member second = cluster.others().get(0);
            ClickHouseEndpoint first = ClickHouseEndpoint.of(profile.clickhouseConnection());
            ClickHouseEndpoint other = TransferFixtures.endpointOf(second, first);
            KafkaEndpoint kafka = KafkaEndpoint.of(profile.kafkaConnection());
            String topic = profile.topicOrDefault();
            String cluster1 = "  cluster: " + ClusterShape.NAME + "\n";
            Path onFirst = Files.move(TransferFixtures.config(dir, stack.profileFile(), topic, DATABASE, cluster1,
                    "  max_rows: 2000\n  max_delay: 100ms\n"), dir.resolve("first.yaml"));
            // the other instance names replica 2 as its server, and replica 1 by its ports
            String onReplica2 = cluster1 + "  connection: {url: \"" + other.url() + "\", user: " + first.user()
                    + ", password: \"" + first.password() + "\"}\n  cluster_http_ports: {\"127.0.0.1:"
                    + cluster.first().ports().tcp() + "\": " + cluster.first().ports().http() + "}\n";
            Path onSecond = Files.move(TransferFixtures.config(dir, stack.profileFile(), topic, DATABASE, onReplica2,
                    "  max_rows: 2000\n  max_delay: 100ms\n"), dir.resolve("second.yaml"));

            String phase = "start";
            try (PacedProducer producer = PacedProducer.start(kafka, topic, TestEvents.jsonLines(0, FIRST), 1_000);
                 ClickHouse a = ClickHouse.connect(first, Duration.ofSeconds(2), Duration.ofSeconds(20));
                 ClickHouse b = ClickHouse.connect(other, Duration.ofSeconds(2), Duration.ofSeconds(20));
                 TransferProcess one = TransferProcess.start(onFirst, "split-1", dir);
                 ReplicaChecks.Later later = new ReplicaChecks.Later(onSecond, dir, "split-2")) {
                try {
                    one.awaitDelivering(Duration.ofSeconds(60));
                    assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                            () -> rows(a, TABLE) > 4_000), "no rows on replica 1");
                    phase = "second instance joins";
                    TransferProcess two = later.start();
                    two.awaitDelivering(Duration.ofSeconds(60));
                    assertTrue(two.log().contains("writing to " + other.url()), tail(two));
                    assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100),
                            () -> one.ownedPartitions() + two.ownedPartitions() == 3 && two.ownedPartitions() > 0),
                            "the partitions are not shared: " + one.ownedPartitions() + ", " + two.ownedPartitions());
                    phase = "first instance killed";
                    one.kill(); // lines still come: its partitions go to the second once its session times out
                    assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                            () -> two.ownedPartitions() == 3), "the partitions of the instance killed did not move");
                    producer.await(120_000);
                    try (PacedProducer tail = PacedProducer.start(kafka, topic, TestEvents.jsonLines(FIRST, EVENTS),
                            2_000)) { // lines the second instance alone delivers, on every partition
                        tail.await(60_000);
                    }
                    assertTrue(Deadline.in(Duration.ofSeconds(120)).until(Duration.ofMillis(250),
                            () -> rows(a, TABLE) >= EVENTS && rows(b, TABLE) >= EVENTS),
                            "rows: " + rows(a, TABLE) + ", " + rows(b, TABLE));
                    assertEquals(0, two.terminate(), tail(two));
                    phase = "check";
                    assertEquals(EVENTS, assertConverged(List.of(a, b), TABLE, List.of(0, 1, 2)), "a line lost");
                    System.out.printf("SplitReplicasIT: %d lines once on both replicas; the second instance's start"
                                    + " waited for its replica %s, its positioning was retried %d times%n", EVENTS,
                            two.log().contains("waiting on replica") ? "(yes)" : "(no)",
                            two.log().lines().filter(l -> l.contains("cannot position partition")).count());
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("at " + phase + ": " + e.getMessage() + "\n--- split-1\n" + tail(one)
                            + "\n--- split-2\n" + later.tail(), e);
                }
            }
        } finally {
            stack.down(true, quiet);
        }
    }
}
