package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.process.Deadline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the failover tests ask of replicas and processes: rows that a server down cannot count, convergence. */
final class ReplicaChecks {
    private ReplicaChecks() {
    }

    /** Rows of {@code database.table}; 0 before it exists, -1 on a server that does not answer. */
    static long rows(ClickHouse ch, String table) {
        String[] name = table.split("\\.");
        try {
            return ch.tableExists(name[0], name[1]) ? ch.queryLong("SELECT count() FROM " + table) : 0;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * Every replica of {@code replicas} has emptied its replication queue and holds the same rows: each line of
     * {@code table} once, one row per offset from 0 in each of {@code partitions}. Returns the rows of one.
     */
    static long assertConverged(List<ClickHouse> replicas, String table, List<Integer> partitions) {
        String database = table.substring(0, table.indexOf('.'));
        String sum = "SELECT count(), sum(cityHash64(_partition, _offset, _line, id)) FROM " + table;
        String first = null;
        long rows = 0;
        for (ClickHouse ch : replicas) {
            assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250), () -> queue(ch, database) == 0),
                    "replication queue not empty on " + ch.location() + ":\n" + replicas(ch, database));
            rows = rows(ch, table);
            assertEquals(rows, ch.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM " + table),
                    "a line twice on " + ch.location());
            assertEquals(List.copyOf(partitions), ints(ch, "SELECT DISTINCT _partition FROM " + table
                    + " ORDER BY _partition"), "partitions on " + ch.location());
            for (int p : partitions) {
                assertEquals(ch.queryLong("SELECT max(_offset) + 1 FROM " + table + " WHERE _partition = " + p),
                        ch.queryLong("SELECT count() FROM " + table + " WHERE _partition = " + p),
                        "partition " + p + " on " + ch.location() + " has a line missing or twice");
            }
            assertEquals(0, ch.queryLong("SELECT count() FROM " + table + "_unparsed"));
            String here = ch.queryText(sum);
            if (first == null) {
                first = here;
            }
            assertEquals(first, here, "the replicas hold different rows: " + ch.location());
        }
        return rows;
    }

    /** A one-column query's integers, a row each. */
    static List<Integer> ints(ClickHouse ch, String sql) {
        return ch.queryText(sql).lines().filter(l -> !l.isBlank()).map(Integer::parseInt).toList();
    }

    static long queue(ClickHouse ch, String database) {
        return ch.queryLong("SELECT sum(queue_size) FROM system.replicas WHERE database = " + ClickHouse.quote(database));
    }

    static String replicas(ClickHouse ch, String database) {
        try {
            return ch.queryText("SELECT table, is_readonly, queue_size, inserts_in_queue, log_pointer, log_max_index,"
                    + " last_queue_update, active_replicas FROM system.replicas WHERE database = "
                    + ClickHouse.quote(database));
        } catch (RuntimeException e) {
            return "(does not answer: " + e.getMessage() + ")";
        }
    }

    static String tail(TransferProcess p) {
        List<String> lines = p.log().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    static void kill9(long pid) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        p.destroyForcibly();
        p.onExit().get(20, TimeUnit.SECONDS);
    }

    /** A transfer started later in a test but closed with the rest whatever happens. */
    static final class Later implements AutoCloseable {
        private final Path config;
        private final Path dir;
        private final String instance;
        private TransferProcess process;

        Later(Path config, Path dir, String instance) {
            this.config = config;
            this.dir = dir;
            this.instance = instance;
        }

        TransferProcess start() {
            process = TransferProcess.start(config, instance, dir);
            return process;
        }

        boolean started() {
            return process != null;
        }

        TransferProcess process() {
            return process;
        }

        String tail() {
            return process == null ? "(not started)" : ReplicaChecks.tail(process);
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.close();
            }
        }
    }
}
