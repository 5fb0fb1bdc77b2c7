package dev.clickstream.common.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a tool that must finish its work first (flush, commit, print a summary): the shutdown hook
 * asks the work to stop, then holds the JVM until the tool closes this, or until {@code patience} is up.
 * Closing also removes the hook, so commands run in-process (tests, the launcher) leave nothing behind.
 */
public final class GracefulShutdown implements AutoCloseable {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private GracefulShutdown(String name, Runnable stop, Duration patience) {
        hook = new Thread(() -> {
            stop.run();
            try {
                done.await(patience.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown");
    }

    /** {@code stop} must return at once; the work notices and winds down on its own thread. */
    public static GracefulShutdown install(String name, Runnable stop, Duration patience) {
        GracefulShutdown shutdown = new GracefulShutdown(name, stop, patience);
        Runtime.getRuntime().addShutdownHook(shutdown.hook);
        return shutdown;
    }

    /** The work is over: a waiting hook lets the JVM exit. */
    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook is running; it has just been released
        }
    }
}
