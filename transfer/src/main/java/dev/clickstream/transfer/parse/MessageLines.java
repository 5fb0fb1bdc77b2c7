package dev.clickstream.transfer.parse;

import dev.clickstream.common.event.Newlines;

/**
 * The lines of one Kafka message: events are one JSON object per line, and a message may hold many
 * (the demo's producer packed 0 to 99). Blank lines are skipped but keep their index, so a line's
 * index is the same on every read of the message.
 */
public final class MessageLines {
    /** Receives each non-blank line: its index within the message and its bytes. */
    public interface Consumer {
        void line(int index, byte[] data, int offset, int length);

        /**
         * Reads the line starting at {@code offset} in one pass, finding its end as it goes; returns the index of the
         * newline that ends it, or {@code end} for the last line, or -1 when it did not (the line is then found and
         * handed to {@link #line}).
         */
        default int tryLine(int index, byte[] data, int offset, int end) {
            return -1;
        }
    }

    private MessageLines() {
    }

    /** Calls {@code consumer} for every non-blank line; returns how many lines there were, blank included. */
    public static int forEach(byte[] value, Consumer consumer) {
        if (value == null || value.length == 0) {
            return 0;
        }
        int n = value.length;
        int index = 0;
        int start = 0;
        while (true) {
            int read = consumer.tryLine(index, value, start, n);
            int newline;
            if (read >= 0) {
                newline = read < n ? read : -1;
            } else {
                newline = Newlines.indexOf(value, start, n);
                int end = newline < 0 ? n : newline;
                if (end > start && value[end - 1] == '\r') {
                    end--;
                }
                if (!isBlank(value, start, end)) {
                    consumer.line(index, value, start, end - start);
                }
            }
            if (newline < 0) {
                return index + 1;
            }
            index++;
            start = newline + 1;
        }
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
