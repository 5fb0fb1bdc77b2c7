package dev.clickstream.transfer.it;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.transfer.TransferCommand;
import dev.clickstream.transfer.destination.ShardMap;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.cluster.ClusterState;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static dev.clickstream.transfer.it.ReplicaChecks.ints;
import static dev.clickstream.transfer.it.ReplicaChecks.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer into a 2x1 cluster of 18.16 servers: each partition's rows and offset-log ranges on the shard the
 * {@link ShardMap} gives it (partition % 2), written straight to that shard's server; the Distributed table
 * {@code <table>_all} reads them all; a kill -9 of the transfer mid-stream and a new instance: every line once.
 * The other shard's HTTP port comes from the profile; a wrong one stops the start with one line. A column added
 * to the local tables reaches the Distributed table at the next start.
 */
class ShardedTransferIT {
    private static final int EVENTS = 40_000;
    private static final String TABLE = "sharded.clickhouse_events";

    @TempDir
    Path dir;

    @Test
    void each_partition_lands_on_its_shard_once_across_a_kill_9_and_the_distributed_table_reads_them_all()
            throws Exception {
        LocalStack stack = new LocalStack(dir.resolve("stack"));
        PrintWriter quiet = new PrintWriter(new StringWriter(), true);
        stack.up(LocalStack.UpOptions.defaults().withRandomPorts().withCluster(ClusterShape.parse("2x1")), quiet);
        try {
            ConnectionProfile profile = stack.profile();
            ClusterState.Member second = stack.readState().orElseThrow().cluster().others().get(0);
            assertEquals(2, second.shard());
            ClickHouseEndpoint first = ClickHouseEndpoint.of(profile.clickhouseConnection());
            ClickHouseEndpoint other = TransferFixtures.endpointOf(second, first);
            KafkaEndpoint kafka = KafkaEndpoint.of(profile.kafkaConnection());
            String topic = profile.topicOrDefault();
            Path config = TransferFixtures.config(dir, stack.profileFile(), topic, "sharded",
                    "  cluster: " + ClusterShape.NAME + "\n", "  max_rows: 2000\n  max_delay: 100ms\n");
            String yaml = Files.readString(config);
            // both servers listen on 127.0.0.1: a port that reaches shard 1's server where shard 2's is meant is
            // caught before anything is written there
            Path wrong = dir.resolve("wrong.yaml");
            Files.writeString(wrong, yaml.replace("  cluster: " + ClusterShape.NAME + "\n", "  cluster: "
                    + ClusterShape.NAME + "\n  cluster_http_ports: {\"127.0.0.1:" + second.ports().tcp() + "\": "
                    + profile.clickhouseConnection().httpPort() + "}\n"));
            StringWriter err = new StringWriter();
            CommandLine cli = Cli.commandLine(new TransferCommand());
            cli.setErr(new PrintWriter(err, true));
            cli.setOut(new PrintWriter(new StringWriter(), true));
            assertEquals(1, cli.execute("--config", wrong.toString(), "--check", "--http-port", "0"), err::toString);
            assertTrue(err.toString().startsWith("error: target.cluster_http_ports: http://127.0.0.1:"
                    + profile.clickhouseConnection().httpPort() + " is not server 127.0.0.1:" + second.ports().tcp()
                    + " (shard 2, replica 1)"), err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            // config itself names no ports: the right ones come from the profile, which `up --cluster` writes

            long started = System.nanoTime();
            try (PacedProducer producer = PacedProducer.start(kafka, topic, TestEvents.jsonLines(0, EVENTS), 4_000);
                 ClickHouse a = ClickHouse.connect(first); ClickHouse b = ClickHouse.connect(other)) {
                TransferProcess transfer = TransferProcess.start(config, "sharded-1", dir);
                transfer.awaitDelivering(Duration.ofSeconds(60));
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                        () -> rows(a, TABLE) > 3_000 && rows(b, TABLE) > 1_500),
                        "not both shards receive rows: " + rows(a, TABLE) + ", " + rows(b, TABLE) + "\n" + transfer.log());
                transfer.kill();
                long atKill = rows(a, TABLE) + rows(b, TABLE);

                TransferProcess again = TransferProcess.start(config, "sharded-2", dir);
                again.awaitDelivering(Duration.ofSeconds(60));
                producer.await(60_000);
                assertTrue(Deadline.in(Duration.ofSeconds(120)).until(Duration.ofMillis(250),
                        () -> rows(a, TABLE + "_all") >= EVENTS), "rows: " + rows(a, TABLE + "_all") + "\n" + again.log());
                assertEquals(0, again.terminate(), again.log());

                ShardMap map = new ShardMap(2);
                List<ClickHouse> shards = List.of(a, b);
                long[] perShard = new long[2];
                for (int s = 0; s < 2; s++) {
                    ClickHouse ch = shards.get(s);
                    int shard = s;
                    List<Integer> expected = IntStream.range(0, 3).filter(p -> map.shardOf(p) == shard).boxed().toList();
                    assertEquals(expected, ints(ch, "SELECT DISTINCT _partition FROM " + TABLE + " ORDER BY _partition"),
                            "shard " + (s + 1) + " holds other partitions' rows");
                    assertEquals(expected, ints(ch, "SELECT DISTINCT partition FROM " + TABLE + "_offsets ORDER BY partition"),
                            "shard " + (s + 1) + " logs other partitions' ranges");
                    // a fresh topic, one line a message: a partition complete and once has a row per offset from 0
                    for (int p : expected) {
                        assertEquals(ch.queryLong("SELECT max(_offset) + 1 FROM " + TABLE + " WHERE _partition = " + p),
                                ch.queryLong("SELECT count() FROM " + TABLE + " WHERE _partition = " + p),
                                "partition " + p + " on shard " + (s + 1));
                    }
                    perShard[s] = rows(ch, TABLE);
                    assertEquals(perShard[s], ch.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM " + TABLE),
                            "a line landed twice on shard " + (s + 1));
                    assertEquals("ReplicatedMergeTree", engine(ch, "clickhouse_events"));
                    assertEquals("Distributed", engine(ch, "clickhouse_events_all"));
                    assertEquals(0, rows(ch, TABLE + "_unparsed"));
                }
                assertEquals(EVENTS, perShard[0] + perShard[1], "shards: " + Arrays.toString(perShard));
                assertEquals(EVENTS, rows(a, TABLE + "_all"));
                assertEquals(EVENTS, a.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM " + TABLE + "_all"));
                assertEquals(EVENTS, a.queryLong("SELECT uniqExact(id) FROM " + TABLE + "_all"));
                // a column added to the local tables (a person, or schema evolution) reaches the Distributed table
                a.execute("ALTER TABLE " + TABLE + " ON CLUSTER " + ClusterShape.NAME + " ADD COLUMN note Nullable(String)");
                StringWriter checkErr = new StringWriter();
                CommandLine check = Cli.commandLine(new TransferCommand());
                check.setErr(new PrintWriter(checkErr, true));
                check.setOut(new PrintWriter(new StringWriter(), true));
                assertEquals(0, check.execute("--config", config.toString(), "--check", "--http-port", "0"),
                        checkErr::toString);
                for (ClickHouse ch : shards) {
                    assertTrue(ch.columnNames("sharded", "clickhouse_events_all").contains("note"),
                            "clickhouse_events_all lacks the new column: " + ch.columnNames("sharded", "clickhouse_events_all"));
                }
                assertEquals(EVENTS, rows(b, TABLE + "_all"), "read from shard 2's server");
                System.out.printf("ShardedTransferIT: %d lines, shard 1 %d rows, shard 2 %d rows, %d at the kill, %.1f s%n",
                        EVENTS, perShard[0], perShard[1], atKill, (System.nanoTime() - started) / 1e9);
            }
        } finally {
            stack.down(true, quiet);
        }
    }

    private static String engine(ClickHouse ch, String table) {
        return ch.queryText("SELECT engine FROM system.tables WHERE database = 'sharded' AND name = '" + table + "'")
                .strip();
    }
}
