package dev.clickstream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The table a run prints: drain rates with the first Kafka-engine row as the peer, then freshness. */
final class Report {
    /**
     * @param seconds from start (CREATE TABLE, or the JVM's launch) to the last row; steady: first row to last
     * @param notMeasured why the path has no numbers (printed in their place), or null
     */
    private record Drain(String path, double seconds, double steadySeconds, long peakRss, double cpuSeconds,
                         String notMeasured) {
    }

    private record Freshness(String path, long[] millis, int expected) {
    }

    private final String clickhouseVersion;
    private final int cores;
    int events;
    double eventBytes;
    private final List<Drain> drains = new ArrayList<>();
    private final List<Freshness> freshness = new ArrayList<>();

    Report(String clickhouseVersion, int cores) {
        this.clickhouseVersion = clickhouseVersion;
        this.cores = cores;
    }

    /** A path's numbers; a negative peak RSS or CPU time prints as "-" (not measured). */
    void drain(String path, double seconds, double steadySeconds, long peakRss, double cpuSeconds) {
        drains.add(new Drain(path, seconds, steadySeconds, peakRss, cpuSeconds, null));
    }

    /** A path without numbers: the reason takes their place (skipped, failed). */
    void drainNotMeasured(String path, String reason) {
        drains.add(new Drain(path, 0, 0, -1, -1, reason));
    }

    void freshness(String path, long[] millis, int expected) {
        freshness.add(new Freshness(path, millis, expected));
    }

    void print(PrintWriter out) {
        if (!drains.isEmpty()) {
            out.printf("drain: %,d events of %.0f B prepared in 3 partitions, ClickHouse %s, %d cores%n", events,
                    eventBytes, clickhouseVersion, cores);
            out.println("(start to last row: CREATE TABLE or the JVM's launch included; steady: first row to last)");
            out.printf("%-42s %8s %10s %6s %9s %10s %6s %9s %6s%n", "path", "seconds", "rows/s", "ratio", "steady s",
                    "rows/s", "ratio", "peak RSS", "CPU s");
            double peer = events / drains.get(0).seconds();
            double steadyPeer = steadyRate(drains.get(0));
            for (Drain d : drains) {
                if (d.notMeasured() != null) {
                    out.printf("%-42s %s%n", d.path(), d.notMeasured());
                    continue;
                }
                double rate = events / d.seconds();
                double steady = steadyRate(d);
                out.printf("%-42s %8.1f %,10.0f %6.2f %9.1f %10s %6s %9s %6s%n", d.path(), d.seconds(), rate,
                        rate / peer, d.steadySeconds(), steady < 0 ? "-" : String.format("%,.0f", steady),
                        steady < 0 || steadyPeer < 0 ? "-" : String.format("%.2f", steady / steadyPeer),
                        d.peakRss() < 0 ? "-" : String.format("%d MB", d.peakRss() >> 20),
                        d.cpuSeconds() < 0 ? "-" : String.format("%.1f", d.cpuSeconds()));
            }
        }
        if (!freshness.isEmpty()) {
            out.println();
            out.println("freshness: produce -> visible in SELECT (polled every 100 ms), steady stream");
            out.printf("%-48s %8s %8s %8s %8s %9s%n", "path", "p50 ms", "p90 ms", "p99 ms", "max ms", "seen");
            for (Freshness f : freshness) {
                long[] sorted = f.millis().clone();
                Arrays.sort(sorted);
                out.printf("%-48s %8d %8d %8d %8d %,9d%n", f.path(), percentile(sorted, 50), percentile(sorted, 90),
                        percentile(sorted, 99), sorted.length == 0 ? -1 : sorted[sorted.length - 1], sorted.length);
            }
        }
        out.flush();
    }

    /**
     * Rows/s from the first row to the last, or -1 when they came within one poll (100 ms): a small backlog that
     * arrives in one block has no steady state to measure.
     */
    private double steadyRate(Drain d) {
        return d.steadySeconds() < 0.1 ? -1 : events / d.steadySeconds();
    }

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
