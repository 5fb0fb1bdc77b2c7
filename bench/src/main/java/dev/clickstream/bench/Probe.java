package dev.clickstream.bench;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;

/**
 * Polls one table every 100 ms for ids it has not seen yet and records, for each, the time from its send
 * to the first poll that saw it. The poll interval bounds the resolution: a latency is at most 100 ms
 * (plus the query) later than the moment the row became visible.
 */
final class Probe {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final String name;
    private final ClickHouseEndpoint endpoint;
    private final String table;
    private final PacedStream stream;
    private final int total;
    private final BitSet seen = new BitSet();
    private final long[] latencies;
    private int count;
    private volatile boolean stopped;
    private final Thread thread;

    Probe(String name, ClickHouseEndpoint endpoint, String table, PacedStream stream, int total) {
        this.name = name;
        this.endpoint = endpoint;
        this.table = table;
        this.stream = stream;
        this.total = total;
        this.latencies = new long[total];
        this.thread = new Thread(this::run, "probe-" + table);
        thread.setDaemon(true);
    }

    String name() {
        return name;
    }

    void start() {
        thread.start();
    }

    private void run() {
        try (ClickHouse ch = ClickHouse.connect(endpoint)) {
            int low = 1;
            while (!stopped && count < total) {
                long pollStart = System.nanoTime();
                String ids = ch.queryText("SELECT id FROM " + table + " WHERE id >= " + low + " AND id <= " + total);
                for (String line : ids.split("\n")) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    int id = Integer.parseInt(line.trim());
                    long sent = stream.sentNanos(id);
                    if (!seen.get(id) && sent > 0) {
                        seen.set(id);
                        latencies[count++] = TimeUnit.NANOSECONDS.toMillis(Math.max(0, pollStart - sent));
                    }
                }
                low = Math.max(1, seen.nextClearBit(1));
                long rest = POLL_NANOS - (System.nanoTime() - pollStart);
                if (rest > 0) {
                    TimeUnit.NANOSECONDS.sleep(rest); // the polling interval of the measurement
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void await(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
        stopped = true;
        thread.join(5000);
    }

    void stop() {
        stopped = true;
    }

    long[] latenciesMillis() {
        return java.util.Arrays.copyOf(latencies, count);
    }
}
