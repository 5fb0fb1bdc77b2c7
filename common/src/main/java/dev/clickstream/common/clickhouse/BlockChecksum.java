package dev.clickstream.common.clickhouse;

import com.clickhouse.data.ClickHouseCityHash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The checksum of a block of ClickHouse's compressed framing: CityHash128 (version 1.0.2, as the server has it) of
 * the block's 9-byte header followed by its data, computed without the two being one array. A batch's rows stay
 * where the encoders wrote them, so sealing a body copies nothing.
 *
 * <p>CityHash128 takes its seed from its input's first 16 bytes and reads the rest as one run; so the header and
 * the data's first 7 bytes make the seed, and the hash runs over the data in place from there. Short blocks go
 * through clickhouse-java's {@link ClickHouseCityHash}, which also checks this one in the tests.
 */
final class BlockChecksum {
    private static final long K0 = 0xc3a5c85c97cb3127L;
    private static final long K1 = 0xb492b66fbe98f273L;
    private static final long K2 = 0x9ae16a3b2f90404fL;
    private static final long K3 = 0xc949d7c7509e6557L;
    private static final long K_MUL = 0x9ddfea08eb382d69L;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private BlockChecksum() {
    }

    /** CityHash128 of {@code header[0, 9)} followed by {@code data[offset, offset + length)}: low half, high half. */
    static long[] of(byte[] header, byte[] data, int offset, int length) {
        if (length < 7) {
            byte[] joined = new byte[9 + length];
            System.arraycopy(header, 0, joined, 0, 9);
            System.arraycopy(data, offset, joined, 9, length);
            return ClickHouseCityHash.cityHash128(joined, 0, joined.length);
        }
        byte[] first = new byte[16];
        System.arraycopy(header, 0, first, 0, 9);
        System.arraycopy(data, offset, first, 9, 7);
        return withSeed(data, offset + 7, length - 7, fetch64(first, 0) ^ K3, fetch64(first, 8));
    }

    private static long fetch64(byte[] s, int at) {
        return (long) LONG_LE.get(s, at);
    }

    private static long fetch32(byte[] s, int at) {
        return Integer.toUnsignedLong((int) INT_LE.get(s, at));
    }

    private static long rotate(long v, int shift) {
        return shift == 0 ? v : Long.rotateRight(v, shift);
    }

    private static long shiftMix(long v) {
        return v ^ (v >>> 47);
    }

    private static long hashLen16(long u, long v) {
        long a = (u ^ v) * K_MUL;
        a ^= a >>> 47;
        long b = (v ^ a) * K_MUL;
        b ^= b >>> 47;
        return b * K_MUL;
    }

    private static long hashLen0to16(byte[] s, int at, int len) {
        if (len > 8) {
            long a = fetch64(s, at);
            long b = fetch64(s, at + len - 8);
            return hashLen16(a, Long.rotateRight(b + len, len)) ^ b;
        }
        if (len >= 4) {
            long a = fetch32(s, at);
            return hashLen16((a << 3) + len, fetch32(s, at + len - 4));
        }
        if (len > 0) {
            int a = s[at] & 0xFF;
            int b = s[at + (len >>> 1)] & 0xFF;
            int c = s[at + len - 1] & 0xFF;
            int y = a + (b << 8);
            int z = len + (c << 2);
            return shiftMix(y * K2 ^ z * K3) * K2;
        }
        return K2;
    }

    private static long[] murmur(byte[] s, int at, int len, long seed0, long seed1) {
        long a = seed0;
        long b = seed1;
        long c;
        long d;
        int l = len - 16;
        if (l <= 0) {
            a = shiftMix(a * K1) * K1;
            c = b * K1 + hashLen0to16(s, at, len);
            d = shiftMix(a + (len >= 8 ? fetch64(s, at) : c));
        } else {
            c = hashLen16(fetch64(s, at + len - 8) + K1, a);
            d = hashLen16(b + len, c + fetch64(s, at + len - 16));
            a += d;
            do {
                a ^= shiftMix(fetch64(s, at) * K1) * K1;
                a *= K1;
                b ^= a;
                c ^= shiftMix(fetch64(s, at + 8) * K1) * K1;
                c *= K1;
                d ^= c;
                at += 16;
                l -= 16;
            } while (l > 0);
        }
        a = hashLen16(a, c);
        b = hashLen16(d, b);
        return new long[]{a ^ b, hashLen16(b, a)};
    }

    private static long[] withSeed(byte[] s, int at, int len, long seed0, long seed1) {
        if (len < 128) {
            return murmur(s, at, len, seed0, seed1);
        }
        long x = seed0;
        long y = seed1;
        long z = K1 * len;
        long v0 = rotate(y ^ K1, 49) * K1 + fetch64(s, at);
        long v1 = rotate(v0, 42) * K1 + fetch64(s, at + 8);
        long w0 = rotate(y + z, 35) * K1 + x;
        long w1 = rotate(x + fetch64(s, at + 88), 53) * K1;
        do {
            for (int half = 0; half < 2; half++) {
                x = rotate(x + y + v0 + fetch64(s, at + 16), 37) * K1;
                y = rotate(y + v1 + fetch64(s, at + 48), 42) * K1;
                x ^= w1;
                y ^= v0;
                z = rotate(z ^ w0, 33);
                // weak hashes of the 32 bytes at `at` (into v) and at `at + 32` (into w)
                long a = v1 * K1 + fetch64(s, at);
                long b = rotate(x + w0 + a + fetch64(s, at + 24), 21);
                long c = a;
                a += fetch64(s, at + 8) + fetch64(s, at + 16);
                b += rotate(a, 44);
                v0 = a + fetch64(s, at + 24);
                v1 = b + c;
                a = z + w1 + fetch64(s, at + 32);
                b = rotate(y + a + fetch64(s, at + 56), 21);
                c = a;
                a += fetch64(s, at + 40) + fetch64(s, at + 48);
                b += rotate(a, 44);
                w0 = a + fetch64(s, at + 56);
                w1 = b + c;
                long swap = z;
                z = x;
                x = swap;
                at += 64;
            }
            len -= 128;
        } while (len >= 128);
        y += rotate(w0, 37) * K0 + z;
        x += rotate(v0 + z, 49) * K0;
        for (int tailDone = 0; tailDone < len; ) {
            tailDone += 32;
            y = rotate(y - x, 42) * K0 + v1;
            w0 += fetch64(s, at + len - tailDone + 16);
            x = rotate(x, 49) * K0 + w0;
            w0 += v0;
            int t = at + len - tailDone;
            long a = v0 + fetch64(s, t);
            long b = rotate(v1 + a + fetch64(s, t + 24), 21);
            long c = a;
            a += fetch64(s, t + 8) + fetch64(s, t + 16);
            b += rotate(a, 44);
            v0 = a + fetch64(s, t + 24);
            v1 = b + c;
        }
        x = hashLen16(x, v0);
        y = hashLen16(y, w0);
        return new long[]{hashLen16(x + v1, w1) + y, hashLen16(x + w1, y + v1)};
    }
}
