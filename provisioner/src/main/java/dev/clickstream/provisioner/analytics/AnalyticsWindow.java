package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.error.UserFacingException;

import java.time.Duration;
import java.time.Instant;

/**
 * The stretch of event time the analytics look at: {@code since} long, ending (exclusive) at {@code until},
 * in whole seconds; until is the server's now() when not given, so live data needs no clock agreement.
 *
 * @param until null for the server's now()
 * @param limit rows of each top list
 */
public record AnalyticsWindow(Duration since, Instant until, int limit) {
    /** Bucket widths people read easily; the smallest that gives at most {@link #MAX_BUCKETS} buckets wins. */
    private static final long[] BUCKETS = {60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    static final int MAX_BUCKETS = 60;

    public AnalyticsWindow {
        if (since == null || since.getSeconds() < 60) {
            throw new UserFacingException("--since: the window must be at least 1m, got " + since, ExitCodes.USAGE,
                    null);
        }
        if (limit < 1) {
            throw new UserFacingException("--limit: must be at least 1, got " + limit, ExitCodes.USAGE, null);
        }
        until = until == null ? null : Instant.ofEpochSecond(until.getEpochSecond());
    }

    public static AnalyticsWindow lastHour() {
        return new AnalyticsWindow(Duration.ofHours(1), null, 10);
    }

    public long sinceSeconds() {
        return since.getSeconds();
    }

    /** A minute up to an hour's window; wider for longer ones, so a chart or table has at most 60 rows. */
    public long bucketSeconds() {
        long wanted = (sinceSeconds() + MAX_BUCKETS - 1) / MAX_BUCKETS;
        for (long b : BUCKETS) {
            if (b >= wanted) {
                return b;
            }
        }
        return (wanted + 86399) / 86400 * 86400;
    }

    public AnalyticsWindow until(Instant end) {
        return new AnalyticsWindow(since, end, limit);
    }

    /** 1h, 90m, 2d: the window as people wrote it. */
    public String sinceText() {
        long s = sinceSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
