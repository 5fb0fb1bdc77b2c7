package dev.clickstream.common.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
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
    void rows_added_in_parts_make_the_same_block_and_read_back_as_they_are() throws IOException {
        SealedBody parts = SealedBody.builder(ROWS.length, 0).add(ROWS, 0, 7).add(ROWS, 7, 0).add(ROWS, 7, 13).seal();
        assertArrayEquals(SealedBody.of(ROWS).stream().readAllBytes(), parts.stream().readAllBytes());
        assertArrayEquals(ROWS, parts.rows().readAllBytes());
        assertEquals(ROWS.length, parts.rowBytes());
    }

    @Test
    void a_body_with_a_first_block_is_two_sealed_blocks_whichever_parts_its_rows_came_in() throws IOException {
        SealedBody whole = SealedBody.builder(ROWS.length, 7).add(ROWS, 0, ROWS.length).seal();
        SealedBody parts = SealedBody.builder(ROWS.length, 7).add(ROWS, 0, 3).add(ROWS, 3, 4).add(ROWS, 7, 0)
                .add(ROWS, 7, 1).add(ROWS, 8, 12).seal();
        SealedBody across = SealedBody.builder(ROWS.length, 7).add(ROWS, 0, 5).add(ROWS, 5, 15).seal();
        byte[] blocks = whole.stream().readAllBytes();
        assertArrayEquals(blocks, parts.stream().readAllBytes());
        assertArrayEquals(blocks, across.stream().readAllBytes());
        assertEquals(2, whole.blocks());
        assertEquals(ROWS.length, whole.rowBytes());
        assertArrayEquals(ROWS, whole.rows().readAllBytes());

        byte[] first = SealedBody.of(Arrays.copyOf(ROWS, 7)).stream().readAllBytes();
        byte[] second = SealedBody.of(Arrays.copyOfRange(ROWS, 7, ROWS.length)).stream().readAllBytes();
        assertArrayEquals(first, Arrays.copyOf(blocks, first.length));
        assertArrayEquals(second, Arrays.copyOfRange(blocks, first.length, blocks.length));
    }

    @Test
    void a_body_gets_exactly_the_bytes_it_was_made_for() {
        assertThrows(IllegalStateException.class, () -> SealedBody.builder(3, 0).add(ROWS, 0, 4));
        assertThrows(IllegalStateException.class, () -> SealedBody.builder(3, 0).add(ROWS, 0, 2).seal());
        assertThrows(IllegalArgumentException.class, () -> SealedBody.builder(SealedBody.MAX_ROW_BYTES + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> SealedBody.builder(3, 3));
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
