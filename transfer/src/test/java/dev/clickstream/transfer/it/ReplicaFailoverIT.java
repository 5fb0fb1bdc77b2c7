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
import java.util.concurrent.TimeUnit;

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
                 Holder again = new Holder(config, dir)) {
                try {
                    transfer.awaitDelivering(Duration.ofSeconds(60));
                    assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100), () -> rows(a) > 5_000),
                            "no rows on replica 1");
                    phase = "replica 1 killed";
                    long atKill = rows(a);
                    kill9(cluster.first().pid());
                    // the transfer waits for replica 1's ZooKeeper session to expire, then moves or keeps waiting
                    assertTrue(Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(250),
                            () -> transfer.log().contains("delivery moves to it") || transfer.log().contains(
                                    "no replica that answers has every part")), "no failover decision:\n" + tail(transfer));
                    boolean moved = transfer.log().contains("delivery moves to it");
                    if (moved) { // it delivers on replica 2 for a while, so replica 1 comes back behind it
                        long atMove = rows(b);
                        assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100),
                                () -> rows(b) >= Math.min(EVENTS, atMove + 4_000)), "nothing delivered on replica 2 after"
                                + " the move:\n" + tail(transfer));
                    }
                    long atSecondKill = rows(b);
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
                            () -> rows(a) >= EVENTS && rows(b) >= EVENTS), "rows: " + rows(a) + ", " + rows(b));
                    assertEquals(0, again.process().terminate(), tail(again.process()));
                    phase = "check";
                    for (ClickHouse ch : List.of(a, b)) {
                        assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250),
                                () -> queue(ch) == 0), "replication queue not empty");
                        assertEquals(EVENTS, rows(ch), "a line lost or twice on " + ch.location());
                        assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM " + TABLE));
                        assertEquals(EVENTS, ch.queryLong("SELECT uniqExact(id) FROM " + TABLE));
                        assertEquals(0, ch.queryLong("SELECT count() FROM " + TABLE + "_unparsed"));
                        for (int p = 0; p < 3; p++) {
                            assertEquals(ch.queryLong("SELECT max(_offset) + 1 FROM " + TABLE + " WHERE _partition = " + p),
                                    ch.queryLong("SELECT count() FROM " + TABLE + " WHERE _partition = " + p),
                                    "partition " + p + " on " + ch.location());
                        }
                    }
                    String sum = "SELECT count(), sum(cityHash64(_partition, _offset, _line, id)) FROM " + TABLE;
                    assertEquals(a.queryText(sum), b.queryText(sum), "the replicas hold different rows");
                    System.out.printf("ReplicaFailoverIT: %d lines, %d on replica 1 at its kill, first instance %s,"
                                    + " %d on replica 2 at the transfer's kill, %.1f s%n", EVENTS, atKill,
                            moved ? "moved to replica 2" : "waited for replica 1", atSecondKill,
                            (System.nanoTime() - started) / 1e9);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("at " + phase + ": " + e.getMessage() + "\n--- failover-1\n" + tail(transfer)
                            + "\n--- failover-2\n" + (again.started() ? tail(again.process()) : "(not started)")
                            + "\n--- replica 1\n" + replicas(a) + "\n--- replica 2\n" + replicas(b), e);
                }
            }
        } finally {
            stack.down(true, quiet);
        }
    }

    /** The second instance, started later but closed with the rest whatever happens. */
    private static final class Holder implements AutoCloseable {
        private final Path config;
        private final Path dir;
        private TransferProcess process;

        Holder(Path config, Path dir) {
            this.config = config;
            this.dir = dir;
        }

        void start() {
            process = TransferProcess.start(config, "failover-2", dir);
        }

        boolean started() {
            return process != null;
        }

        TransferProcess process() {
            return process;
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.close();
            }
        }
    }

    private static long rows(ClickHouse ch) {
        try {
            return ch.tableExists("failover", "clickhouse_events") ? ch.queryLong("SELECT count() FROM " + TABLE) : 0;
        } catch (RuntimeException e) {
            return -1; // a replica that is down
        }
    }

    private static long queue(ClickHouse ch) {
        return ch.queryLong("SELECT sum(queue_size) FROM system.replicas WHERE database = 'failover'");
    }

    private static String replicas(ClickHouse ch) {
        try {
            return ch.queryText("SELECT table, is_readonly, queue_size, inserts_in_queue, log_pointer, log_max_index,"
                    + " last_queue_update, active_replicas FROM system.replicas WHERE database = 'failover'");
        } catch (RuntimeException e) {
            return "(does not answer: " + e.getMessage() + ")";
        }
    }

    private static String tail(TransferProcess p) {
        List<String> lines = p.log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static void kill9(long pid) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        p.destroyForcibly();
        p.onExit().get(20, TimeUnit.SECONDS);
    }
}
