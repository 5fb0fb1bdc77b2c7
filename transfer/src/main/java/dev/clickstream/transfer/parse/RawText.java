package dev.clickstream.transfer.parse;

import java.io.ByteArrayOutputStream;

/**
 * A line with bytes that are not UTF-8, as chars Jackson can parse and back, byte for byte: each such byte b
 * becomes the lone surrogate U+DC00 + b (as Python's "surrogateescape" does), which no UTF-8 decoder produces, and
 * {@link #encode} turns it back into b. So a {@code string} column keeps a producer's Latin-1 or binary bytes.
 */
final class RawText {
    private RawText() {
    }

    /** True when the bytes are well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF). */
    static boolean isUtf8(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; ) {
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int n = sequence(b, i, end);
            if (n < 0) {
                return false;
            }
            i += n;
        }
        return true;
    }

    /** The line's chars: UTF-8 decoded, every other byte as its escape char. */
    static char[] decode(byte[] b, int off, int len) {
        StringBuilder out = new StringBuilder(len);
        int end = off + len;
        for (int i = off; i < end; ) {
            if (b[i] >= 0) {
                out.append((char) b[i++]);
                continue;
            }
            int n = sequence(b, i, end);
            if (n < 0) {
                out.append((char) (0xDC00 + (b[i++] & 0xFF)));
                continue;
            }
            out.append(new String(b, i, n, java.nio.charset.StandardCharsets.UTF_8));
            i += n;
        }
        char[] chars = new char[out.length()];
        out.getChars(0, chars.length, chars, 0);
        return chars;
    }

    /** True when the chars hold an escaped byte: a lone U+DC80..U+DCFF. */
    static boolean hasRawBytes(char[] c, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (isEscape(c, off, i)) {
                return true;
            }
        }
        return false;
    }

    /** UTF-8 of the chars, each escaped byte as itself. */
    static byte[] encode(char[] c, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 16);
        int end = off + len;
        for (int i = off; i < end; i++) {
            char ch = c[i];
            if (isEscape(c, off, i)) {
                out.write(ch - 0xDC00);
            } else if (Character.isHighSurrogate(ch) && i + 1 < end && Character.isLowSurrogate(c[i + 1])) {
                byte[] pair = new String(c, i, 2).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(pair, 0, pair.length);
                i++;
            } else {
                byte[] one = String.valueOf(ch).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(one, 0, one.length);
            }
        }
        return out.toByteArray();
    }

    private static boolean isEscape(char[] c, int start, int i) {
        char ch = c[i];
        return ch >= 0xDC80 && ch <= 0xDCFF && (i == start || !Character.isHighSurrogate(c[i - 1]));
    }

    /** Length of the well-formed UTF-8 sequence at i (RFC 3629: no overlongs, no surrogates), or -1. */
    static int sequence(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        int n;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + n > end) {
            return -1;
        }
        int cp = c & (0xFF >> (n + 1));
        for (int k = 1; k < n; k++) {
            int cc = b[i + k] & 0xFF;
            if ((cc & 0xC0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return -1;
        }
        return n;
    }
}
