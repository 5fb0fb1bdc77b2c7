package dev.clickstream.common.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a tool writes records, as bytes, through one large buffer and without a flush per record: on the
 * process's stdout the bytes go straight to the file descriptor; on any other writer (tests capture
 * output that way) they are decoded as UTF-8 a line at a time.
 */
public final class RecordOutput {
    private static final int BUFFER = 1 << 16;

    private final OutputStream stream;
    private final PrintWriter writer;
    private byte[] buffer = new byte[BUFFER];
    private int length;

    private RecordOutput(OutputStream stream, PrintWriter writer) {
        this.stream = stream;
        this.writer = writer;
    }

    /** Records for {@code out}: the command line's {@code getOut()}. */
    public static RecordOutput of(PrintWriter out) {
        return out instanceof StdoutWriter stdout ? new RecordOutput(stdout.stream(), null) : new RecordOutput(null, out);
    }

    public void write(byte b) {
        if (length == buffer.length) {
            drain();
        }
        buffer[length++] = b;
    }

    public void write(byte[] bytes, int offset, int count) {
        if (count > buffer.length - length) {
            drain();
            if (count > buffer.length - length) {
                if (stream != null) {
                    writeStream(bytes, offset, count);
                    return;
                }
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
            }
        }
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
    }

    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Writes everything buffered to the destination and flushes it. */
    public void flush() {
        if (stream != null) {
            writeStream(buffer, 0, length);
            length = 0;
            try {
                stream.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to stdout", e);
            }
        } else {
            writer.write(new String(buffer, 0, length, StandardCharsets.UTF_8));
            length = 0;
            writer.flush();
        }
    }

    /** Makes room: all of the buffer on a stream; on a writer, the complete lines (a line never splits a character). */
    private void drain() {
        if (stream != null) {
            writeStream(buffer, 0, length);
            length = 0;
            return;
        }
        int end = length;
        while (end > 0 && buffer[end - 1] != '\n') {
            end--;
        }
        if (end == 0) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
            return;
        }
        writer.write(new String(buffer, 0, end, StandardCharsets.UTF_8));
        System.arraycopy(buffer, end, buffer, 0, length - end);
        length -= end;
    }

    private void writeStream(byte[] bytes, int offset, int count) {
        try {
            stream.write(bytes, offset, count);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to stdout", e);
        }
    }
}
