package dev.clickstream.common.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer written from the front and reused: the little-endian writes RowBinary needs, and the
 * decimal and hex digits the producer's JSON writer needs. Not thread-safe on purpose.
 */
public final class ByteSink {
    private static final byte[] DIGIT_PAIRS = digitPairs();
    private static final byte[] HEX_PAIRS = hexPairs();

    private byte[] buf;
    private int size;

    public ByteSink(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    public int size() {
        return size;
    }

    public void reset() {
        size = 0;
    }

    public void truncate(int newSize) {
        size = Math.min(size, newSize);
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }

    public void write(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    public void writeShortLE(int v) {
        ensure(2);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
    }

    public void writeIntLE(int v) {
        ensure(4);
        buf[size++] = (byte) v;
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 24);
    }

    public void writeLongLE(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) {
            buf[size++] = (byte) (v >>> (8 * i));
        }
    }

    public void writeVarint(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /**
     * Appends a string as UTF-8. ASCII, the common case, is copied char by char; anything else goes through
     * {@link #writeUtf8Chars}, the one place that encodes UTF-8 here.
     */
    public void writeUtf8(String s) {
        if (isAscii(s)) {
            writeAscii(s);
        } else {
            char[] c = s.toCharArray();
            writeUtf8Chars(c, 0, c.length);
        }
    }

    /** RowBinary String: varint byte length, then the UTF-8 bytes. */
    public void writeRowBinaryString(String s) {
        if (isAscii(s)) {
            writeVarint(s.length());
            writeAscii(s);
        } else {
            char[] c = s.toCharArray();
            writeRowBinaryChars(c, 0, c.length);
        }
    }

    /** RowBinary String from UTF-16 chars: varint byte length, then UTF-8, without an intermediate String. */
    public void writeRowBinaryChars(char[] c, int off, int len) {
        writeVarint(utf8Length(c, off, len));
        writeUtf8Chars(c, off, len);
    }

    /**
     * Appends chars as UTF-8. A lone surrogate (half of a pair, which JSON's \\u escapes can produce)
     * becomes U+FFFD, so the output is always valid UTF-8 and {@link #utf8Length} always matches it.
     */
    public void writeUtf8Chars(char[] c, int off, int len) {
        int end = off + len;
        ensure(len * 3);
        for (int i = off; i < end; i++) {
            char ch = c[i];
            if (ch < 0x80) {
                buf[size++] = (byte) ch;
            } else if (ch < 0x800) {
                buf[size++] = (byte) (0xC0 | (ch >> 6));
                buf[size++] = (byte) (0x80 | (ch & 0x3F));
            } else if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
                int cp = Character.toCodePoint(ch, c[++i]);
                buf[size++] = (byte) (0xF0 | (cp >> 18));
                buf[size++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buf[size++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                char v = Character.isSurrogate(ch) ? '\uFFFD' : ch;
                buf[size++] = (byte) (0xE0 | (v >> 12));
                buf[size++] = (byte) (0x80 | ((v >> 6) & 0x3F));
                buf[size++] = (byte) (0x80 | (v & 0x3F));
            }
        }
    }

    /** The bytes {@link #writeUtf8Chars} writes for these chars. */
    static int utf8Length(char[] c, int off, int len) {
        int end = off + len;
        int utf8 = 0;
        for (int i = off; i < end; i++) {
            char ch = c[i];
            if (ch < 0x80) {
                utf8++;
            } else if (ch < 0x800) {
                utf8 += 2;
            } else if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
                utf8 += 4;
                i++;
            } else {
                utf8 += 3;
            }
        }
        return utf8;
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Writes each char of an ASCII string as one byte. */
    public void writeAscii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
    }

    /** Copies bytes [from, to) of another sink. */
    public void copyFrom(ByteSink other, int from, int to) {
        write(other.buf, from, to - from);
    }

    /** Adds the bytes written so far to an INSERT body, which sends them from here. */
    public void addTo(dev.clickstream.common.clickhouse.SealedBody.Builder body) {
        body.add(buf, 0, size);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    /** The backing array: bytes [0, size) are the ones written. */
    public byte[] array() {
        return buf;
    }

    @Override
    public String toString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    /** Writes {@code value} in decimal, read as an unsigned 64-bit number. */
    public void writeUnsigned(long value) {
        if (value >= 0) {
            writeDecimal(value);
            return;
        }
        long quotient = (value >>> 1) / 5;
        writeDecimal(quotient);
        write((byte) ('0' + (value - quotient * 10)));
    }

    /** Writes a non-negative {@code value} in decimal. */
    public void writeDecimal(long value) {
        ensure(20);
        int digits = digits(value);
        int end = size + digits;
        int pos = end;
        while (value >= 100) {
            int pair = (int) (value % 100) * 2;
            value /= 100;
            buf[--pos] = DIGIT_PAIRS[pair + 1];
            buf[--pos] = DIGIT_PAIRS[pair];
        }
        if (value >= 10) {
            int pair = (int) value * 2;
            buf[--pos] = DIGIT_PAIRS[pair + 1];
            buf[--pos] = DIGIT_PAIRS[pair];
        } else {
            buf[--pos] = (byte) ('0' + value);
        }
        size = end;
    }

    /** Writes {@code value} (0 <= value < 10^width) with leading zeros to exactly {@code width} (even) digits. */
    public void writeFixedDigits(int value, int width) {
        ensure(width);
        for (int pos = size + width - 2; pos >= size; pos -= 2) {
            int pair = value % 100 * 2;
            buf[pos] = DIGIT_PAIRS[pair];
            buf[pos + 1] = DIGIT_PAIRS[pair + 1];
            value /= 100;
        }
        size += width;
    }

    /** Writes the low {@code digits} (an even number) hex digits of {@code value}, lower case, with leading zeros. */
    public void writeHex(long value, int digits) {
        ensure(digits);
        for (int pos = size + digits - 2; pos >= size; pos -= 2) {
            int pair = (int) (value & 0xFF) * 2;
            buf[pos] = HEX_PAIRS[pair];
            buf[pos + 1] = HEX_PAIRS[pair + 1];
            value >>>= 8;
        }
        size += digits;
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

