package dev.clickstream.stack.process;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Polls a condition until it holds or time runs out: the only way this project waits for anything. */
public final class Deadline {
    private final long endNanos;
    private final Duration total;

    private Deadline(Duration total) {
        this.total = total;
        this.endNanos = System.nanoTime() + total.toNanos();
    }

    public static Deadline in(Duration total) {
        return new Deadline(total);
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    public Duration total() {
        return total;
    }

    /** Calls {@code probe} every {@code interval} until it returns a value or the deadline passes. */
    public <T> Optional<T> poll(Duration interval, Supplier<Optional<T>> probe) {
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent() || expired()) {
                return result;
            }
            pause(interval);
        }
    }

    public boolean until(Duration interval, Supplier<Boolean> condition) {
        return poll(interval, () -> condition.get() ? Optional.of(Boolean.TRUE) : Optional.empty()).isPresent();
    }

    private void pause(Duration interval) {
        long nanos = Math.min(interval.toNanos(), Math.max(0, endNanos - System.nanoTime()));
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
