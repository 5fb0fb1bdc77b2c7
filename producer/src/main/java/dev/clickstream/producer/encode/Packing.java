package dev.clickstream.producer.encode;

import java.util.SplittableRandom;

/**
 * How many JSON lines go into one Kafka message. Lines are separated by a newline, with no newline after
 * the last, so a message of one line is exactly one JSON object. {@code random} reproduces the original
 * demo: 0 to 99 lines per message, so some messages are empty.
 */
public record Packing(int lines, boolean random) {
    public static final int RANDOM_MAX_LINES = 99;
    public static final Packing ONE = new Packing(1, false);

    public Packing {
        if (!random && lines < 1) {
            throw new IllegalArgumentException("a message holds at least 1 line");
        }
    }

    /** Accepts a positive number or {@code random}. */
    public static Packing parse(String text) {
        String t = text.trim();
        if (t.equalsIgnoreCase("random")) {
            return new Packing(0, true);
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= 1) {
                return new Packing(n, false);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is neither a number of lines (1 or more) nor 'random'");
    }

    /** Lines in the next message. */
    int nextLines(SplittableRandom r) {
        return random ? r.nextInt(RANDOM_MAX_LINES + 1) : lines;
    }

    /** Lines per message on average. */
    public double averageLines() {
        return random ? RANDOM_MAX_LINES / 2.0 : lines;
    }

    @Override
    public String toString() {
        return random ? "random" : Integer.toString(lines);
    }
}
