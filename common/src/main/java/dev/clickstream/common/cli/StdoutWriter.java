package dev.clickstream.common.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The process's standard output as a command's {@code getOut()}: a line-flushed writer like picocli's own,
 * that also hands out the byte stream underneath, so tools that copy records (producer, consumer) can
 * write bytes through their own buffer instead of flushing a character stream per line.
 */
public final class StdoutWriter extends PrintWriter {
    private final OutputStream stream;

    public StdoutWriter() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    private StdoutWriter(OutputStream stream) {
        super(new OutputStreamWriter(stream, Charset.defaultCharset()), true);
        this.stream = stream;
    }

    /** The unbuffered byte stream of stdout, after flushing what this writer holds. */
    public OutputStream stream() {
        flush();
        return stream;
    }
}
