package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.stack.cluster.ClusterState;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Configs, counts and HTTP probes the transfer's integration tests share. */
final class TransferFixtures {
    private TransferFixtures() {
    }

    /**
     * The shipped sample schema (transfer.yaml) pointed at this test's topic, database and profile, with
     * small batches so a stream is many batches; {@code extra} YAML is merged in by section.
     */
    static Path config(Path dir, TestStack stack, String topic, String database, String targetExtra,
                       String batchExtra) {
        return config(dir, stack.profileFile(), topic, database, targetExtra, batchExtra);
    }

    /** As above, for a stack of the test's own (a cluster) with its connection profile at {@code profileFile}. */
    static Path config(Path dir, Path profileFile, String topic, String database, String targetExtra,
                       String batchExtra) {
        try {
            String sample = Files.readString(Path.of("transfer.yaml"));
            String schema = sample.substring(sample.indexOf("  parser:"), sample.indexOf("\ntarget:"));
            String yaml = "profile: " + profileFile + "\n"
                    + "source:\n  topic_name: " + topic + "\n  group: transfer-" + database + "\n" + schema + "\n"
                    + "target:\n  database: " + database + "\n" + targetExtra
                    + "batch:\n" + (batchExtra.isEmpty() ? "  max_rows: 5000\n  max_delay: 200ms\n" : batchExtra)
                    + "http:\n  port: 0\n";
            Path file = dir.resolve("transfer-" + topic + ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instance's /status as JSON. */
    static JsonNode status(int port) {
        try {
            return new ObjectMapper().readTree(get(port, "/status").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long count(ClickHouse ch, String table) {
        return ch.queryLong("SELECT count() FROM " + table);
    }

    /** Rows in both tables, once the sum reaches {@code expected} or the time is up. */
    static long awaitDelivered(ClickHouse ch, String database, String table, long expected, Duration timeout) {
        String both = "SELECT (SELECT count() FROM " + database + "." + table + ") + (SELECT count() FROM "
                + database + "." + table + "_unparsed)";
        return Deadline.in(timeout).poll(Duration.ofMillis(250), () -> {
            long n = ch.queryLong(both);
            return n >= expected ? Optional.of(n) : Optional.empty();
        }).orElseGet(() -> ch.queryLong(both));
    }

    /** Distinct (partition, offset, line) keys over both tables: equal to the row count when each line is there once. */
    static long distinctKeys(ClickHouse ch, String database, String table) {
        return ch.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM (SELECT _partition, _offset, _line FROM "
                + database + "." + table + " UNION ALL SELECT _partition, _offset, _line FROM " + database + "." + table
                + "_unparsed)");
    }

    static HttpResponse<String> get(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A metric once it reaches {@code expected}, or its value when time is up: counters move when the loop
     * settles a write, a moment after its rows are visible in ClickHouse.
     */
    static double awaitMetric(int port, String name, double expected) {
        return Deadline.in(Duration.ofSeconds(10)).poll(Duration.ofMillis(50), () -> {
            double v = metric(port, name);
            return v >= expected ? Optional.of(v) : Optional.empty();
        }).orElseGet(() -> metric(port, name));
    }

    /** The value of one series from /metrics, named with its labels as Prometheus prints them; 0 when absent. */
    static double metricLine(int port, String series) {
        for (String line : get(port, "/metrics").body().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    /** The value of one un-labelled metric from /metrics. */
    static double metric(int port, String name) {
        for (String line : get(port, "/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is not in /metrics");
    }

    /** Another server of a local cluster, as the profile's own server's user reaches it. */
    static ClickHouseEndpoint endpointOf(ClusterState.Member member, ClickHouseEndpoint first) {
        return new ClickHouseEndpoint("http://127.0.0.1:" + member.ports().http(), first.user(), first.password(),
                "default", null);
    }
}
