package dev.clickstream.consumer.output;

import dev.clickstream.common.cli.RecordOutput;
import dev.clickstream.common.event.Newlines;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Prints message values: one event per line. A value holding several JSON lines (the demo's packed
 * messages) prints each line on its own; with metadata every line starts with where it came from.
 * Works on the value's bytes directly, so the common case is a copy into the output buffer.
 */
public final class RecordPrinter {
    private final Format format;
    private final boolean metadata;
    private final RecordOutput out;
    private byte[] scratch = new byte[8192];
    private long lines;

    public RecordPrinter(Format format, boolean metadata, RecordOutput out) {
        this.format = format;
        this.metadata = metadata;
        this.out = out;
    }

    /** Lines printed so far (events, or values in raw format). */
    public long lines() {
        return lines;
    }

    public void flush() {
        out.flush();
    }

    /** Prints one message; {@code value} may be null (a tombstone), which prints like an empty message. */
    public void print(ByteBuffer value, int partition, long offset, long timestamp) {
        byte[] bytes;
        int start;
        int end;
        if (value == null) {
            bytes = scratch;
            start = 0;
            end = 0;
        } else if (value.hasArray()) {
            bytes = value.array();
            start = value.arrayOffset() + value.position();
            end = start + value.remaining();
        } else {
            int n = value.remaining();
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            value.duplicate().get(scratch, 0, n);
            bytes = scratch;
            start = 0;
            end = n;
        }
        String prefix = metadata ? "partition=" + partition + " offset=" + offset + " timestamp="
                + Instant.ofEpochMilli(timestamp) + "\t" : null;
        if (format == Format.RAW) {
            line(prefix, bytes, start, end);
            return;
        }
        int lineStart = start;
        while (lineStart <= end) {
            int newline = Newlines.indexOf(bytes, lineStart, end);
            int next = newline < 0 ? end : newline;
            int lineEnd = next > lineStart && bytes[next - 1] == '\r' ? next - 1 : next;
            if (!blank(bytes, lineStart, lineEnd)) {
                if (format == Format.PRETTY) {
                    pretty(prefix, bytes, lineStart, lineEnd);
                } else {
                    line(prefix, bytes, lineStart, lineEnd);
                }
            }
            lineStart = next + 1;
        }
    }

    private void line(String prefix, byte[] bytes, int start, int end) {
        if (prefix != null) {
            out.write(prefix.getBytes(StandardCharsets.UTF_8));
        }
        out.write(bytes, start, end - start);
        out.write((byte) '\n');
        lines++;
    }

    private void pretty(String prefix, byte[] bytes, int start, int end) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(2 * (end - start));
        try (JsonParser parser = Pretty.JSON.createParser(bytes, start, end - start);
             JsonGenerator generator = Pretty.JSON.createGenerator(buffer).useDefaultPrettyPrinter()) {
            parser.nextToken();
            generator.copyCurrentStructure(parser);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value on the line");
            }
        } catch (IOException | RuntimeException notJson) {
            line(prefix, bytes, start, end);
            return;
        }
        byte[] text = buffer.toByteArray();
        line(prefix, text, 0, text.length);
    }

    private static boolean blank(byte[] bytes, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Jackson loads only when pretty output is asked for: start-up counts in a tool run this often. */
    private static final class Pretty {
        static final JsonFactory JSON = JsonFactory.builder().build();
    }
}
