package dev.clickstream.common.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class BlockChecksumTest {

    @Test
    void it_is_clickhouse_javas_cityhash128_of_the_header_and_the_data_joined_for_every_length_and_offset() {
        Random random = new Random(7);
        for (int length = 0; length < 700; length++) {
            check(random, length, random.nextInt(40));
        }
        for (int length : new int[]{1 << 12, (1 << 16) + 37, 1_000_003}) {
            check(random, length, random.nextInt(40));
        }
    }

    private static void check(Random random, int length, int offset) {
        byte[] header = new byte[9];
        random.nextBytes(header);
        byte[] data = new byte[offset + length + random.nextInt(20)];
        random.nextBytes(data);
        byte[] joined = new byte[9 + length];
        System.arraycopy(header, 0, joined, 0, 9);
        System.arraycopy(data, offset, joined, 9, length);
        assertArrayEquals(ClickHouseCityHash.cityHash128(joined, 0, joined.length),
                BlockChecksum.of(header, data, offset, length), "length " + length + " at " + offset);
    }
}
