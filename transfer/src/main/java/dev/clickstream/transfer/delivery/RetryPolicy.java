package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.store.FailureClass;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The one retry rule of the delivery loop, for writes, schema evolution and positioning alike: what is worth
 * another attempt, and how long to wait before it (0.2 s doubling to 10 s, with jitter).
 */
public final class RetryPolicy {
    private final long firstMillis;
    private final long maxMillis;
    private final LongSupplier random;

    RetryPolicy(long firstMillis, long maxMillis, LongSupplier random) {
        this.firstMillis = firstMillis;
        this.maxMillis = maxMillis;
        this.random = random;
    }

    public static RetryPolicy withJitter() {
        return new RetryPolicy(200, 10_000, () -> java.util.concurrent.ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
    }

    /**
     * What {@link FailureClass} says: every class but FATAL may pass (ClickHouse unreachable or overloaded, Kafka
     * moving a leader); a missing database or grant, or a bug, is not fixed by another attempt.
     */
    boolean isRetryable(Throwable failure) {
        return FailureClass.of(failure).retryable();
    }

    /** The wait before attempt {@code attempt + 1}: half the doubling step fixed, half random. */
    Duration backoff(int attempt) {
        long base = Math.min(maxMillis, firstMillis << Math.min(attempt, 6));
        return Duration.ofMillis(base / 2 + Math.floorMod(random.getAsLong(), base / 2 + 1));
    }
}
