package dev.clickstream.transfer.batch;

import java.util.Arrays;

/** A growable byte buffer with the little-endian writes RowBinary needs; not thread-safe on purpose. */
public final class ByteSink {
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

    private void writeAscii(String s) {
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
}
