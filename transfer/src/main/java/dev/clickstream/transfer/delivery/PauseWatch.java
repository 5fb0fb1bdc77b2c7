package dev.clickstream.transfer.delivery;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Notices that this process stood still: SIGSTOP, a long GC or VM pause, CPU throttling. Past the session timeout
 * the group may have given this instance's partitions to another one, which may already have read what is stored;
 * a batch this instance held across the pause must then not be written. Every thread that is about to write calls
 * {@link #tick()}: whichever thread wakes first sees the gap since the last tick and starts a new epoch, and a write
 * that began in an older epoch is fenced. A daemon ticks often enough that normal work never looks like a pause.
 */
public final class PauseWatch {
    private final long thresholdNanos;
    private final LongSupplier clock;
    private long lastTick;
    private int epoch;
    private long longestPauseNanos;

    public PauseWatch(Duration threshold, LongSupplier clock) {
        this.thresholdNanos = threshold.toNanos();
        this.clock = clock;
        this.lastTick = clock.getAsLong();
    }

    /**
     * Records that time goes on; returns the epoch, a new one when time stood still longer than the threshold.
     * Synchronized: two threads waking together must both see the new epoch, not one of them the old.
     */
    synchronized int tick() {
        long now = clock.getAsLong();
        long gap = now - lastTick;
        lastTick = Math.max(lastTick, now);
        if (gap > thresholdNanos) {
            longestPauseNanos = Math.max(longestPauseNanos, gap);
            epoch++;
        }
        return epoch;
    }

    Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    synchronized Duration longestPause() {
        return Duration.ofNanos(longestPauseNanos);
    }

    /** How often the daemon ticks: a quarter of the threshold, so a pause is never a normal gap between ticks. */
    Duration tickEvery() {
        return Duration.ofNanos(Math.max(1, thresholdNanos / 4));
    }
}
