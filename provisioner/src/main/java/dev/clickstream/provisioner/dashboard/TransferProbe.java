package dev.clickstream.provisioner.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalDouble;

/**
 * What the dashboard shows about delivery, read from a transfer's /status (state, lag per partition, last
 * error) and /metrics (row counters, insert time). Rows per second come from successive samples, so the
 * first answer has none; the last {@link #HISTORY} of them go along for the chart.
 */
public final class TransferProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Rows per second are averaged over about this long. */
    private static final long RATE_WINDOW_NANOS = Duration.ofSeconds(10).toNanos();
    static final int HISTORY = 60;

    private record Sample(long atNanos, String instance, double rows) {
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final Deque<Double> rates = new ArrayDeque<>();

    public TransferProbe(URI base) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
    }

    public URI url() {
        return base;
    }

    /** {reachable: false, reason} when nothing answers, else the transfer's state and numbers. */
    public synchronized ObjectNode sample() {
        ObjectNode out = JSON.createObjectNode();
        out.put("url", base.toString());
        JsonNode status;
        PrometheusText metrics;
        try {
            status = JSON.readTree(get("status"));
            metrics = PrometheusText.parse(get("metrics"));
        } catch (IOException e) {
            samples.clear();
            rates.clear();
            out.put("reachable", false);
            out.put("reason", reason(e));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put("reachable", false);
            out.put("reason", "interrupted");
            return out;
        }
        out.put("reachable", true);
        for (String field : new String[] {"instance", "state", "topic", "table", "last_delivery_at"}) {
            out.set(field, status.path(field).isMissingNode() ? null : status.get(field));
        }
        out.put("healthy", status.path("healthy").asBoolean());
        out.put("lag", status.path("lag").asLong());
        out.set("partitions", status.path("assignment"));
        out.set("last_error", status.path("last_error").isMissingNode() ? null : status.get("last_error"));
        double rows = counter(metrics, "clickstream_transfer_rows_total");
        out.put("rows", (long) rows);
        out.put("unparsed_rows", (long) counter(metrics, "clickstream_transfer_unparsed_rows_total"));
        out.put("skipped_messages", (long) counter(metrics, "clickstream_transfer_skipped_messages_total"));
        out.put("retries", (long) counter(metrics, "clickstream_transfer_retries_total"));
        double inserts = counter(metrics, "clickstream_transfer_insert_duration_seconds_count");
        if (inserts > 0) {
            out.put("insert_ms_avg", round1(1000 * counter(metrics, "clickstream_transfer_insert_duration_seconds_sum")
                    / inserts));
        } else {
            out.putNull("insert_ms_avg");
        }
        OptionalDouble rate = rate(new Sample(System.nanoTime(), status.path("instance").asText(), rows));
        if (rate.isPresent()) {
            out.put("rows_per_second", round1(rate.getAsDouble()));
            rates.addLast(round1(rate.getAsDouble()));
            if (rates.size() > HISTORY) {
                rates.removeFirst();
            }
        } else {
            out.putNull("rows_per_second");
        }
        ArrayNode history = out.putArray("rows_per_second_history");
        rates.forEach(history::add);
        return out;
    }

    /** Rows per second since the oldest sample of the last ~10 s; none after a restart of the transfer. */
    private OptionalDouble rate(Sample now) {
        Sample newest = samples.peekLast();
        if (newest != null && (!newest.instance().equals(now.instance()) || newest.rows() > now.rows())) {
            samples.clear();
            rates.clear();
        }
        samples.addLast(now);
        while (samples.size() > 2 && now.atNanos() - samples.peekFirst().atNanos() > RATE_WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample oldest = samples.peekFirst();
        double seconds = (now.atNanos() - oldest.atNanos()) / 1e9;
        return seconds < 0.5 ? OptionalDouble.empty() : OptionalDouble.of((now.rows() - oldest.rows()) / seconds);
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/" + path + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private static double counter(PrometheusText metrics, String name) {
        return metrics.value(name).orElse(0);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
