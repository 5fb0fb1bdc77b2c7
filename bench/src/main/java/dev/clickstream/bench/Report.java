package dev.clickstream.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The table a run prints: drain rates with the first Kafka-engine row as the peer, then freshness. */
final class Report {
    /**
     * One round of a path.
     *
     * @param seconds from start (CREATE TABLE, or the JVM's launch) to the last row; steady: first row to last
     * @param cpuSeconds the contestant's own process (for the engine: the server it runs in), or -1
     * @param serverCpuSeconds what the ClickHouse server spent meanwhile (parsing inserts, merging), or -1
     */
    record Round(double seconds, double steadySeconds, long peakRss, double cpuSeconds, double serverCpuSeconds) {
    }

    /** A path's rounds, or why it has none (printed in their place). */
    private record Drain(String path, List<Round> rounds, String notMeasured) {
        double median(java.util.function.ToDoubleFunction<Round> f) {
            double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
            return v.length == 0 ? -1 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }

        String spread(java.util.function.ToDoubleFunction<Round> f) {
            double[] v = rounds.stream().mapToDouble(f).sorted().toArray();
            return v.length < 2 ? "" : String.format("%.1f-%.1f", v[0], v[v.length - 1]);
        }
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

    /** A path's rounds; a negative peak RSS or CPU time prints as "-" (not measured). */
    void drain(String path, List<Round> rounds) {
        drains.add(new Drain(path, List.copyOf(rounds), null));
    }

    /** A path without numbers: the reason takes their place (skipped, failed). */
    void drainNotMeasured(String path, String reason) {
        drains.add(new Drain(path, List.of(), reason));
    }

    void freshness(String path, long[] millis, int expected) {
        freshness.add(new Freshness(path, millis, expected));
    }

    void print(PrintWriter out) {
        if (!drains.isEmpty()) {
            Drain peer = drains.get(0);
            out.printf("drain: %,d events of %.0f B prepared in 3 partitions, ClickHouse %s, %d cores, median of %d"
                    + " rounds%n", events, eventBytes, clickhouseVersion, cores,
                    drains.stream().mapToInt(d -> d.rounds().size()).max().orElse(0));
            out.println("(start to last row: CREATE TABLE or the JVM's launch included; steady: first row to last;"
                    + " CPU s: the contestant's process, for the engine the server it runs in; server CPU s: the"
                    + " ClickHouse server meanwhile; ratio: against the first row, " + peer.path() + ")");
            out.printf("%-42s %8s %10s %10s %6s %9s %10s %9s %6s %6s %8s%n", "path", "seconds", "spread", "rows/s",
                    "ratio", "steady s", "rows/s", "peak RSS", "CPU s", "CPU/M", "server s");
            double peerSeconds = peer.median(Round::seconds);
            for (Drain d : drains) {
                if (d.notMeasured() != null) {
                    out.printf("%-42s %s%n", d.path(), d.notMeasured());
                    continue;
                }
                double seconds = d.median(Round::seconds);
                double steady = d.median(Round::steadySeconds);
                double cpu = d.median(Round::cpuSeconds);
                double server = d.median(Round::serverCpuSeconds);
                long rss = d.rounds().stream().mapToLong(Round::peakRss).max().orElse(-1);
                out.printf("%-42s %8.1f %10s %,10.0f %6.2f %9s %10s %9s %6s %6s %8s%n", d.path(), seconds,
                        d.spread(Round::seconds), events / seconds, peerSeconds / seconds,
                        steady < 0.1 ? "-" : String.format("%.1f", steady),
                        steady < 0.1 ? "-" : String.format("%,.0f", events / steady),
                        rss < 0 ? "-" : String.format("%d MB", rss >> 20),
                        cpu < 0 ? "-" : String.format("%.1f", cpu),
                        cpu < 0 ? "-" : String.format("%.1f", cpu * 1_000_000 / events),
                        server < 0 ? "-" : String.format("%.1f", server));
            }
            List<Drain> engines = drains.stream().filter(d -> d.notMeasured() == null && d.path().startsWith("kafka engine"))
                    .toList();
            List<Drain> transfers = drains.stream().filter(d -> d.notMeasured() == null && d.path().startsWith("transfer"))
                    .toList();
            if (!engines.isEmpty() && !transfers.isEmpty()) {
                out.println();
                out.println("ratios of the medians, start to last row (higher: the transfer is faster)");
                out.printf("%-42s", "");
                engines.forEach(e -> out.printf(" %14s", e.path().replace("kafka engine", "engine").replace(
                        ", kafka_num_consumers=", " x").replace(" (chDB), 1 consumer", " chDB")));
                out.println();
                for (Drain t : transfers) {
                    out.printf("%-42s", t.path());
                    for (Drain e : engines) {
                        out.printf(" %13.2fx", e.median(Round::seconds) / t.median(Round::seconds));
                    }
                    out.println();
                }
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

    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
