package dev.clickstream.producer.send;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What the producer prints while it runs. {@code messages}: the demo's {@code message: N written} per
 * acknowledged message, on stdout. When that many lines would slow the producer down it reports instead
 * on stderr: a line every few seconds ({@code interval}) or, on a terminal, a bar updated in place.
 */
public final class Progress {
    /** How progress is shown; {@code auto} picks one from the expected message rate and the terminal. */
    public enum Mode { AUTO, MESSAGES, INTERVAL, BAR, NONE }

    /** Above this many messages a second (or this many messages in all) auto stops printing a line each. */
    static final int MESSAGE_LINES_LIMIT = 1000;
    private static final long INTERVAL_NANOS = 5_000_000_000L;
    private static final long BAR_NANOS = 250_000_000L;
    private static final int BAR_WIDTH = 30;

    private final Mode mode;
    private final PrintWriter out;
    private final PrintWriter err;
    private final long totalMessages;
    private final Supplier<Delivery.Totals> totals;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private Delivery.Totals last = new Delivery.Totals(0, 0, 0, 0, 0);
    private boolean barShown;

    public Progress(Mode mode, PrintWriter out, PrintWriter err, long totalMessages, Supplier<Delivery.Totals> totals) {
        this.mode = mode;
        this.out = out;
        this.err = err;
        this.totalMessages = totalMessages;
        this.totals = totals;
    }

    /**
     * The mode {@code auto} means: a line per message when there are few messages or they come slowly,
     * else a bar on a terminal or a line every few seconds.
     */
    public static Mode resolve(Mode requested, long messageCount, double messagesPerSecond, boolean terminal) {
        if (requested != Mode.AUTO) {
            return requested;
        }
        boolean few = messageCount > 0 && messageCount <= MESSAGE_LINES_LIMIT;
        boolean slow = messagesPerSecond > 0 && messagesPerSecond <= MESSAGE_LINES_LIMIT;
        if (few || slow) {
            return Mode.MESSAGES;
        }
        return terminal ? Mode.BAR : Mode.INTERVAL;
    }

    public Mode mode() {
        return mode;
    }

    /** Called by the delivery with the count of messages acknowledged so far. */
    public void acknowledged(long messages) {
        if (mode == Mode.MESSAGES) {
            out.println("message: " + messages + " written");
        }
    }

    /** Called often from the producing thread; prints when a report is due. */
    public void tick() {
        if (mode != Mode.INTERVAL && mode != Mode.BAR) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastNanos >= (mode == Mode.BAR ? BAR_NANOS : INTERVAL_NANOS)) {
            report(now, false);
        }
    }

    /** Prints the totals and the rate since the last report, or since the start for the final one. */
    private void report(long now, boolean whole) {
        if (whole) {
            lastNanos = startNanos;
            last = new Delivery.Totals(0, 0, 0, 0, 0);
        }
        long elapsed = Math.max(1, now - lastNanos);
        Delivery.Totals t = totals.get();
        double seconds = elapsed / 1e9;
        double eventsPerSecond = (t.events() - last.events()) / seconds;
        double mbPerSecond = (t.bytes() - last.bytes()) / seconds / Summary.MB;
        if (mode == Mode.INTERVAL) {
            err.printf(Locale.ROOT, "%d messages (%d events, %.1f MB) acknowledged: %.0f events/s, %.1f MB/s in the last"
                    + " %.1f s%n", t.messages(), t.events(), t.bytes() / Summary.MB, eventsPerSecond, mbPerSecond, seconds);
        } else {
            err.print("\r" + bar(t.messages()) + String.format(Locale.ROOT, "%d messages  %.0f events/s  %.1f MB/s   ",
                    t.messages(), eventsPerSecond, mbPerSecond));
            err.flush();
            barShown = true;
        }
        lastNanos = now;
        last = t;
    }

    /** Draws the bar a last time (all acknowledged) and ends its line so the summary starts on its own. */
    public void finish() {
        if (barShown) {
            report(System.nanoTime(), true);
            err.println();
        }
    }

    private String bar(long done) {
        if (totalMessages <= 0) {
            return "";
        }
        int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / totalMessages);
        return "[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%% ", Math.min(100, done * 100 / totalMessages));
    }
}
