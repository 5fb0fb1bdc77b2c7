package dev.clickstream.producer.send;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Holds the producer to {@code --rate} events per second, measured from the first event. */
public final class Pacer {
    private static final long MAX_PARK_NANOS = 100_000_000L;

    private final double eventsPerSecond;
    private final long startNanos;

    /** A rate of 0 means as fast as possible. */
    public Pacer(double eventsPerSecond) {
        this.eventsPerSecond = eventsPerSecond;
        this.startNanos = System.nanoTime();
    }

    /**
     * Waits until {@code eventsSoFar} events are due, in short naps so a stop request is seen quickly;
     * {@code whileWaiting} runs between naps and returns false to stop waiting.
     */
    public void awaitTurn(long eventsSoFar, BooleanSupplier whileWaiting) {
        if (eventsPerSecond <= 0) {
            return;
        }
        long due = startNanos + (long) (eventsSoFar * 1e9 / eventsPerSecond);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(wait, MAX_PARK_NANOS));
            if (!whileWaiting.getAsBoolean()) {
                return;
            }
        }
    }
}
