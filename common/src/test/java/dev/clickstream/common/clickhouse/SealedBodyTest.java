package dev.clickstream.common.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SealedBodyTest {
    private static final byte[] ROWS = "0123456789abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void the_block_is_the_rows_behind_a_header_with_method_none_both_sizes_and_the_checksum() throws IOException {
        byte[] block = SealedBody.of(ROWS).stream().readAllBytes();
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(25 + ROWS.length, block.length);
        assertEquals(0x02, block[16]);
        assertEquals(9 + ROWS.length, b.getInt(17), "size with the 9 header bytes after the checksum");
        assertEquals(ROWS.length, b.getInt(21));
        assertArrayEquals(ROWS, Arrays.copyOfRange(block, 25, block.length));
        long[] hash = ClickHouseCityHash.cityHash128(block, 16, block.length - 16);
        assertEquals(hash[0], b.getLong(0));
        assertEquals(hash[1], b.getLong(8));
    }

    @Test
    void rows_added_in_parts_are_blocks_ending_a_byte_before_and_a_byte_after_where_each_part_ends()
            throws IOException {
        SealedBody parts = SealedBody.builder(0).add(ROWS, 0, 7).add(ROWS, 7, 0).add(ROWS, 7, 13).seal();
        Blocks b = Blocks.read(parts.stream().readAllBytes());
        assertEquals(List.of(6, 8, 20), b.ends());
        assertArrayEquals(ROWS, b.rows());
        assertArrayEquals(ROWS, parts.rows().readAllBytes());
        assertEquals(ROWS.length, parts.rowBytes());
        assertEquals(3, parts.blocks());
    }

    @Test
    void a_first_block_ends_where_the_caller_says_and_part_ends_still_get_their_blocks() throws IOException {
        SealedBody one = SealedBody.builder(11).add(ROWS, 0, ROWS.length).seal();
        assertEquals(List.of(11, 20), Blocks.read(one.stream().readAllBytes()).ends());
        SealedBody three = SealedBody.builder(11).add(ROWS, 0, 5).add(ROWS, 5, 10).add(ROWS, 15, 5).seal();
        Blocks b = Blocks.read(three.stream().readAllBytes());
        assertEquals(List.of(4, 6, 11, 14, 16, 20), b.ends());
        assertArrayEquals(ROWS, b.rows());
        assertArrayEquals(ROWS, three.rows().readAllBytes());
    }

    @Test
    void a_large_body_in_parts_is_sealed_in_place_and_reads_back_whole() throws IOException {
        byte[] big = new byte[3_000_001];
        new java.util.Random(3).nextBytes(big);
        SealedBody body = SealedBody.builder(300_001).add(big, 0, 1_000_000).add(big, 1_000_000, 2_000_001).seal();
        Blocks b = Blocks.read(body.stream().readAllBytes());
        assertEquals(List.of(300_001, 999_999, 1_000_001, 3_000_001), b.ends());
        assertArrayEquals(big, b.rows());
    }

    @Test
    void a_first_block_must_leave_rows_for_a_second() {
        assertThrows(IllegalStateException.class, () -> SealedBody.builder(20).add(ROWS, 0, ROWS.length).seal());
        assertThrows(IllegalArgumentException.class, () -> SealedBody.builder(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> SealedBody.builder(0).add(ROWS, 15, 6));
    }

    /** A body's blocks as the server reads them: every checksum checked, where each block's rows end. */
    private record Blocks(List<Integer> ends, byte[] rows) {
        static Blocks read(byte[] stream) {
            ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
            java.io.ByteArrayOutputStream rows = new java.io.ByteArrayOutputStream();
            List<Integer> ends = new java.util.ArrayList<>();
            int at = 0;
            while (at < stream.length) {
                assertEquals(0x02, stream[at + 16]);
                int withHeader = b.getInt(at + 17);
                int n = b.getInt(at + 21);
                assertEquals(9 + n, withHeader);
                long[] hash = ClickHouseCityHash.cityHash128(stream, at + 16, withHeader);
                assertEquals(hash[0], b.getLong(at), "checksum of the block at " + at);
                assertEquals(hash[1], b.getLong(at + 8));
                rows.write(stream, at + 25, n);
                ends.add(rows.size());
                at += 25 + n;
            }
            return new Blocks(ends, rows.toByteArray());
        }
    }

    @Test
    void every_read_asks_the_guard_first() throws IOException {
        AtomicInteger checks = new AtomicInteger();
        InputStream in = SealedBody.of(ROWS).guardedBy(unsent -> checks.incrementAndGet()).stream();
        byte[] buffer = new byte[4];
        int reads = 0;
        while (in.read(buffer, 0, buffer.length) > 0) {
            reads++;
        }
        assertEquals(reads, checks.get());
        assertEquals(-1, in.read(), "the end needs no check: the last byte had its own");
        assertEquals(reads, checks.get());
    }

    @Test
    void the_last_byte_goes_alone_after_a_check_so_a_failing_guard_keeps_the_block_incomplete() throws IOException {
        SealedBody body = SealedBody.of(ROWS);
        int blockBytes = 25 + ROWS.length;
        AtomicInteger asked = new AtomicInteger();
        InputStream in = body.guardedBy(unsent -> {
            asked.set(unsent);
            if (unsent == 1) {
                throw new IOException("stood still");
            }
        }).stream();
        byte[] buffer = new byte[1 << 16];
        assertEquals(blockBytes - 1, in.read(buffer, 0, buffer.length), "a read asking for all gets all but one");
        assertEquals(blockBytes, asked.get());
        assertThrows(IOException.class, () -> in.read(buffer, 0, buffer.length));
        assertThrows(IOException.class, in::read);
        assertEquals(1, in.available(), "the last byte was never handed out");
    }

    @Test
    void a_guard_that_passes_hands_out_the_last_byte_in_a_read_of_its_own() throws IOException {
        InputStream in = SealedBody.of(ROWS).stream();
        byte[] buffer = new byte[1 << 16];
        assertEquals(25 + ROWS.length - 1, in.read(buffer, 0, buffer.length));
        assertEquals(1, in.read(buffer, 0, buffer.length));
        assertEquals(ROWS[ROWS.length - 1], buffer[0]);
        assertEquals(-1, in.read(buffer, 0, buffer.length));
    }
}
