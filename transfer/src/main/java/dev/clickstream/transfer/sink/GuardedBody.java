package dev.clickstream.transfer.sink;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An INSERT's body that asks its guard before every read and once more at its end, so a writer that stood still
 * after its last check still cannot finish the INSERT. The server registers an INSERT when its headers arrive,
 * before the body: a query that is registered is one the next owner's KILL QUERY finds, and a body that fails
 * its guard ends the query with nothing written.
 */
public final class GuardedBody extends FilterInputStream {
    /** Throws when the write may no longer land (the process stood still since the write's epoch began). */
    public interface Guard {
        Guard NONE = () -> { };

        void check() throws IOException;
    }

    private final Guard guard;

    public GuardedBody(InputStream body, Guard guard) {
        super(body);
        this.guard = guard;
    }

    @Override
    public int read() throws IOException {
        guard.check();
        int b = super.read();
        if (b < 0) {
            guard.check();
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        guard.check();
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            guard.check();
        }
        return n;
    }
}
