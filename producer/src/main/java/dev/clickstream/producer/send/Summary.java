package dev.clickstream.producer.send;

import java.util.Locale;

/** The producer's last line: what was acknowledged and how fast, as Kafka's perf tool reports it. */
public record Summary(Delivery.Totals totals, double seconds, String destination, long seed) {
    /** Kafka's tools count a MB as 2^20 bytes; so do we, to keep the numbers comparable. */
    public static final double MB = 1024 * 1024;

    public String line() {
        double s = Math.max(seconds, 1e-9);
        return String.format(Locale.ROOT,
                "summary: %d messages, %d events, %d malformed lines, %.1f MB %s in %.2f s: %.0f messages/s,"
                        + " %.0f events/s, %.1f MB/s (seed %d)",
                totals.messages(), totals.events(), totals.malformed(), totals.bytes() / MB, destination, seconds,
                totals.messages() / s, totals.events() / s, totals.bytes() / MB / s, seed);
    }
}
