package dev.clickstream.common.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * An INSERT's body that the server takes whole or not at all: the rows in ClickHouse's compressed framing (method
 * NONE, no compression), sent with {@code decompress=1}. Each block's header carries its size and a checksum, so a
 * body cut anywhere (on a row boundary too, and even when the request is ended properly after the cut) fails with
 * "Cannot read all data" and lands no row.
 *
 * <p>A plain body has no such end. The HTTP client ends a chunked request whose body failed with the last chunk
 * all the same, and 18.16 takes a body that ends with its connection as complete: either way the server writes
 * the rows that were sent before the cut.
 *
 * <p>A large body is two blocks. The server registers an INSERT (it shows in system.processes, where the next
 * owner of its partitions waits for it) once it has read {@link #REGISTERED_AFTER} bytes of query and body, and
 * it reads a block only whole; so the first block holds that much and ends inside a row, which the caller picks:
 * a cut between the blocks then leaves a row half sent, and that fails too.
 *
 * <p>Its stream asks a {@link Guard} before every read and hands out the body's last byte in a read of its own,
 * so a writer that has to stop (it stood still past its session timeout) can stop until the very end.
 */
public final class SealedBody {
    /** Throws when the rows may no longer land (the process stood still since the write's epoch began). */
    public interface Guard {
        Guard NONE = unsent -> { };

        /** @param unsent bytes of the body not yet handed out, 1 before the last byte */
        void check(int unsent) throws IOException;
    }

    /** The checksum (CityHash128) and the block header: method, size with header, size of the rows. */
    static final int HEADER_BYTES = 16 + 1 + 4 + 4;
    private static final byte METHOD_NONE = 0x02;
    /** The largest block the server reads (its DBMS_MAX_COMPRESSED_SIZE, 1 GiB), less the header. */
    public static final int MAX_ROW_BYTES = (1 << 30) - HEADER_BYTES;
    /**
     * The server's max_query_size, which the INSERT sets: before it registers the INSERT, the server reads this
     * many bytes and one more of the query and its body, to parse the query.
     */
    public static final int REGISTERED_AFTER = 256 * 1024;

    private final byte[] bytes;
    /** Where the second block's header starts, or -1 for one block. */
    private final int second;
    private final Guard guard;

    private SealedBody(byte[] bytes, int second, Guard guard) {
        this.bytes = bytes;
        this.second = second;
        this.guard = guard;
    }

    public static SealedBody of(byte[] rows) {
        return builder(rows.length, 0).add(rows, 0, rows.length).seal();
    }

    /**
     * A body of exactly {@code rowBytes} bytes of rows, added in one or more parts. With {@code firstBlockRows} above
     * 0, the first block holds that many of them: more than {@link #REGISTERED_AFTER}, ending inside a row.
     */
    public static Builder builder(int rowBytes, int firstBlockRows) {
        if (rowBytes < 0 || rowBytes > MAX_ROW_BYTES) {
            throw new IllegalArgumentException("an INSERT body holds 0 to " + MAX_ROW_BYTES + " bytes, not " + rowBytes);
        }
        if (firstBlockRows < 0 || firstBlockRows >= rowBytes && firstBlockRows > 0) {
            throw new IllegalArgumentException("the first block of " + rowBytes + " bytes cannot hold "
                    + firstBlockRows);
        }
        return new Builder(rowBytes, firstBlockRows);
    }

    /** The same rows, asking {@code guard} as they are sent. */
    public SealedBody guardedBy(Guard bodyGuard) {
        return new SealedBody(bytes, second, bodyGuard == null ? Guard.NONE : bodyGuard);
    }

    public int rowBytes() {
        return bytes.length - (second < 0 ? 1 : 2) * HEADER_BYTES;
    }

    /** How many blocks the body is: 1, or 2 when the first is what the server reads before it registers the INSERT. */
    public int blocks() {
        return second < 0 ? 1 : 2;
    }

    /** The rows as they are, for a session that does not send them over the network (in-process engines). */
    public InputStream rows() {
        if (second < 0) {
            return new ByteArrayInputStream(bytes, HEADER_BYTES, rowBytes());
        }
        return new SequenceInputStream(new ByteArrayInputStream(bytes, HEADER_BYTES, second - HEADER_BYTES),
                new ByteArrayInputStream(bytes, second + HEADER_BYTES, bytes.length - second - HEADER_BYTES));
    }

    /** The blocks, as the server reads them with {@code decompress=1}; asks the guard as it goes. */
    public InputStream stream() {
        return new GuardedStream();
    }

    public static final class Builder {
        private final byte[] bytes;
        private final int rowBytes;
        /** Rows in the first block; all of them when the body is one block. */
        private final int firstRows;
        private int added;

        private Builder(int rowBytes, int firstBlockRows) {
            this.rowBytes = rowBytes;
            this.firstRows = firstBlockRows > 0 ? firstBlockRows : rowBytes;
            bytes = new byte[(firstBlockRows > 0 ? 2 : 1) * HEADER_BYTES + rowBytes];
        }

        public Builder add(byte[] rows, int offset, int length) {
            if (length > rowBytes - added) {
                throw new IllegalStateException("more rows than the body was made for (" + rowBytes + " bytes)");
            }
            int inFirst = Math.max(0, Math.min(length, firstRows - added));
            System.arraycopy(rows, offset, bytes, HEADER_BYTES + added, inFirst);
            if (inFirst < length) {
                System.arraycopy(rows, offset + inFirst, bytes, 2 * HEADER_BYTES + added + inFirst, length - inFirst);
            }
            added += length;
            return this;
        }

        public SealedBody seal() {
            if (added != rowBytes) {
                throw new IllegalStateException("the body was made for " + rowBytes + " bytes of rows and got "
                        + added);
            }
            if (firstRows == rowBytes) {
                sealBlock(0, bytes.length);
                return new SealedBody(bytes, -1, Guard.NONE);
            }
            int second = HEADER_BYTES + firstRows;
            sealBlock(0, second);
            sealBlock(second, bytes.length);
            return new SealedBody(bytes, second, Guard.NONE);
        }

        private void sealBlock(int from, int to) {
            bytes[from + 16] = METHOD_NONE;
            writeLE(from + 17, to - from - 16, 4);
            writeLE(from + 21, to - from - HEADER_BYTES, 4);
            long[] hash = ClickHouseCityHash.cityHash128(bytes, from + 16, to - from - 16);
            writeLE(from, hash[0], 8);
            writeLE(from + 8, hash[1], 8);
        }

        private void writeLE(int at, long v, int width) {
            for (int i = 0; i < width; i++) {
                bytes[at + i] = (byte) (v >>> (8 * i));
            }
        }
    }

    private final class GuardedStream extends InputStream {
        private int pos;

        @Override
        public int read() throws IOException {
            if (pos == bytes.length) {
                return -1;
            }
            guard.check(bytes.length - pos);
            return bytes[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (pos == bytes.length) {
                return -1;
            }
            guard.check(bytes.length - pos);
            int last = bytes.length - 1;
            // the last byte completes the body: it goes alone, right after a check of its own
            int end = pos < last ? Math.min(last, pos + length) : bytes.length;
            int n = end - pos;
            System.arraycopy(bytes, pos, buffer, offset, n);
            pos = end;
            return n;
        }

        @Override
        public int available() {
            return bytes.length - pos;
        }
    }
}
