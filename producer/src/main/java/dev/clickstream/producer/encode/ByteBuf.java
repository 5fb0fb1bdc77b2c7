package dev.clickstream.producer.encode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array written from the front, reused for every message: the JSON writer's target. */
public final class ByteBuf {
    private static final byte[] DIGIT_PAIRS = digitPairs();
    private static final byte[] HEX_PAIRS = hexPairs();

    private byte[] bytes;
    private int length;

    public ByteBuf(int capacity) {
        bytes = new byte[capacity];
    }

    public int length() {
        return length;
    }

    public void reset() {
        length = 0;
    }

    /** Drops everything after the first {@code newLength} bytes. */
    public void truncate(int newLength) {
        length = newLength;
    }

    public byte[] array() {
        return bytes;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    public void put(byte b) {
        ensure(1);
        bytes[length++] = b;
    }

    public void put(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
    }

    public void put(byte[] b, int offset, int count) {
        ensure(count);
        System.arraycopy(b, offset, bytes, length, count);
        length += count;
    }

    public void putAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
    }

    /** Writes {@code value} in decimal, read as an unsigned 64-bit number. */
    public void putUnsigned(long value) {
        if (value >= 0) {
            putDecimal(value);
            return;
        }
        long quotient = (value >>> 1) / 5;
        putDecimal(quotient);
        put((byte) ('0' + (value - quotient * 10)));
    }

    /** Writes a non-negative {@code value} in decimal. */
    public void putDecimal(long value) {
        ensure(20);
        int digits = digits(value);
        int end = length + digits;
        int pos = end;
        while (value >= 100) {
            int pair = (int) (value % 100) * 2;
            value /= 100;
            bytes[--pos] = DIGIT_PAIRS[pair + 1];
            bytes[--pos] = DIGIT_PAIRS[pair];
        }
        if (value >= 10) {
            int pair = (int) value * 2;
            bytes[--pos] = DIGIT_PAIRS[pair + 1];
            bytes[--pos] = DIGIT_PAIRS[pair];
        } else {
            bytes[--pos] = (byte) ('0' + value);
        }
        length = end;
    }

    /** Writes {@code value} (0 <= value < 10^width) with leading zeros to exactly {@code width} (even) digits. */
    public void putFixedDigits(int value, int width) {
        ensure(width);
        for (int pos = length + width - 2; pos >= length; pos -= 2) {
            int pair = value % 100 * 2;
            bytes[pos] = DIGIT_PAIRS[pair];
            bytes[pos + 1] = DIGIT_PAIRS[pair + 1];
            value /= 100;
        }
        length += width;
    }

    /** Writes the low {@code digits} (an even number) hex digits of {@code value}, lower case, with leading zeros. */
    public void putHex(long value, int digits) {
        ensure(digits);
        for (int pos = length + digits - 2; pos >= length; pos -= 2) {
            int pair = (int) (value & 0xFF) * 2;
            bytes[pos] = HEX_PAIRS[pair];
            bytes[pos + 1] = HEX_PAIRS[pair + 1];
            value >>>= 8;
        }
        length += digits;
    }

    private static int digits(long value) {
        int n = 1;
        long limit = 10;
        while (n < 19 && value >= limit) {
            n++;
            limit *= 10;
        }
        return n;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    private static byte[] hexPairs() {
        byte[] pairs = new byte[512];
        byte[] hex = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 256; i++) {
            pairs[2 * i] = hex[i >>> 4];
            pairs[2 * i + 1] = hex[i & 0xF];
        }
        return pairs;
    }

    private static byte[] digitPairs() {
        byte[] pairs = new byte[200];
        for (int i = 0; i < 100; i++) {
            pairs[2 * i] = (byte) ('0' + i / 10);
            pairs[2 * i + 1] = (byte) ('0' + i % 10);
        }
        return pairs;
    }
}
