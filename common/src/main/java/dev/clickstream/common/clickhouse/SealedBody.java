package dev.clickstream.common.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;

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
 * <p>Every block ends inside a row, so a cut between blocks leaves a row half sent, and that fails too. The server
 * registers an INSERT (it shows in system.processes, where the next owner of its partitions waits for it) once it
 * has read {@link #REGISTERED_AFTER} bytes of query and body, and it reads a block only whole; so a large body's
 * first block holds that much, ending inside a row the caller picks.
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

    /** What the stream sends, in order: each block's header, then its rows, most of them where the caller has them. */
    private final List<Part> parts;
    /** The rows as they were added, for {@link #rows()}. */
    private final List<Part> rowParts;
    private final int size;
    private final int blocks;
    private final Guard guard;

    private record Part(byte[] array, int offset, int length) {
    }

    private SealedBody(List<Part> parts, List<Part> rowParts, int blocks, Guard guard) {
        this.parts = parts;
        this.rowParts = rowParts;
        this.size = parts.stream().mapToInt(Part::length).sum();
        this.blocks = blocks;
        this.guard = guard;
    }

    public static SealedBody of(byte[] rows) {
        return builder(0).add(rows, 0, rows.length).seal();
    }

    /**
     * A body of the rows added to it, in parts that each hold whole rows of two bytes or more. The body does not
     * copy them: they must stay as they are until its INSERT has returned. With {@code firstBlockRows} above 0 the
     * first block holds that many bytes of rows: more than {@link #REGISTERED_AFTER}, ending inside a row. Where one
     * part ends and the next begins, a block of two bytes (the one before, the one after) keeps every block's end
     * inside a row.
     */
    public static Builder builder(int firstBlockRows) {
        if (firstBlockRows < 0) {
            throw new IllegalArgumentException("a first block of " + firstBlockRows + " bytes");
        }
        return new Builder(firstBlockRows);
    }

    /** The same rows, asking {@code guard} as they are sent. */
    public SealedBody guardedBy(Guard bodyGuard) {
        return new SealedBody(parts, rowParts, blocks, bodyGuard == null ? Guard.NONE : bodyGuard);
    }

    public int rowBytes() {
        return size - blocks * HEADER_BYTES;
    }

    public int blocks() {
        return blocks;
    }

    /** The rows as they are, for a session that does not send them over the network (in-process engines). */
    public InputStream rows() {
        List<InputStream> streams = new ArrayList<>();
        for (Part p : rowParts) {
            streams.add(new ByteArrayInputStream(p.array(), p.offset(), p.length()));
        }
        return new SequenceInputStream(Collections.enumeration(streams));
    }

    /** The blocks, as the server reads them with {@code decompress=1}; asks the guard as it goes. */
    public InputStream stream() {
        return new GuardedStream();
    }

    public static final class Builder {
        private final int firstBlockRows;
        private final List<Part> rows = new ArrayList<>();
        private long rowBytes;

        private Builder(int firstBlockRows) {
            this.firstBlockRows = firstBlockRows;
        }

        public Builder add(byte[] array, int offset, int length) {
            java.util.Objects.checkFromIndexSize(offset, length, array.length);
            if (length > 0) {
                rows.add(new Part(array, offset, length));
                rowBytes += length;
            }
            return this;
        }

        public SealedBody seal() {
            if (rowBytes > MAX_ROW_BYTES) {
                throw new IllegalStateException("an INSERT body holds at most " + MAX_ROW_BYTES + " bytes, not "
                        + rowBytes);
            }
            int total = (int) rowBytes;
            if (firstBlockRows >= total && firstBlockRows > 0) {
                throw new IllegalStateException("a first block of " + firstBlockRows + " bytes in a body of " + total);
            }
            TreeSet<Integer> cuts = new TreeSet<>();
            if (firstBlockRows > 0) {
                cuts.add(firstBlockRows);
            }
            int at = 0;
            for (int i = 0; i + 1 < rows.size(); i++) {
                at += rows.get(i).length();
                cuts.add(at - 1);
                cuts.add(at + 1);
            }
            cuts.removeIf(c -> c <= 0 || c >= total);
            List<Part> parts = new ArrayList<>();
            int start = 0;
            int blocks = 0;
            for (int end : cuts) {
                addBlock(parts, start, end);
                start = end;
                blocks++;
            }
            addBlock(parts, start, total);
            return new SealedBody(List.copyOf(parts), List.copyOf(rows), blocks + 1, Guard.NONE);
        }

        /** The block of rows {@code [from, to)}: its header, then the rows, in place when one part holds them. */
        private void addBlock(List<Part> parts, int from, int to) {
            Part data = slice(from, to);
            byte[] header = new byte[HEADER_BYTES];
            header[16] = METHOD_NONE;
            writeLE(header, 17, 9 + data.length(), 4);
            writeLE(header, 21, data.length(), 4);
            long[] hash = BlockChecksum.of(java.util.Arrays.copyOfRange(header, 16, HEADER_BYTES), data.array(),
                    data.offset(), data.length());
            writeLE(header, 0, hash[0], 8);
            writeLE(header, 8, hash[1], 8);
            parts.add(new Part(header, 0, HEADER_BYTES));
            if (data.length() > 0) {
                parts.add(data);
            }
        }

        /** Rows {@code [from, to)} of the body: a view of the part that holds them all, else a copy. */
        private Part slice(int from, int to) {
            int partStart = 0;
            for (Part p : rows) {
                if (from >= partStart && to <= partStart + p.length()) {
                    return new Part(p.array(), p.offset() + from - partStart, to - from);
                }
                partStart += p.length();
            }
            byte[] copy = new byte[to - from];
            partStart = 0;
            for (Part p : rows) {
                int lo = Math.max(from, partStart);
                int hi = Math.min(to, partStart + p.length());
                if (lo < hi) {
                    System.arraycopy(p.array(), p.offset() + lo - partStart, copy, lo - from, hi - lo);
                }
                partStart += p.length();
            }
            return new Part(copy, 0, copy.length);
        }

        private static void writeLE(byte[] b, int at, long v, int width) {
            for (int i = 0; i < width; i++) {
                b[at + i] = (byte) (v >>> (8 * i));
            }
        }
    }

    private final class GuardedStream extends InputStream {
        private int pos;
        private int part;
        private int inPart;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (pos == size) {
                return -1;
            }
            guard.check(size - pos);
            // the last byte completes the body: it goes alone, right after a check of its own
            int want = pos < size - 1 ? Math.min(length, size - 1 - pos) : 1;
            int done = 0;
            while (done < want) {
                Part p = parts.get(part);
                int n = Math.min(want - done, p.length() - inPart);
                System.arraycopy(p.array(), p.offset() + inPart, buffer, offset + done, n);
                done += n;
                inPart += n;
                if (inPart == p.length()) {
                    part++;
                    inPart = 0;
                }
            }
            pos += done;
            return done;
        }

        @Override
        public int available() {
            return size - pos;
        }
    }
}
