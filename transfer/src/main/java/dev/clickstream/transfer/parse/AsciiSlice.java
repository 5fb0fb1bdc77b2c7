package dev.clickstream.transfer.parse;

import java.nio.charset.StandardCharsets;

/** An ASCII slice of the message as the CharSequence DateTimes reads; reused, so no String per value. */
final class AsciiSlice implements CharSequence {
    private byte[] b;
    private int off;
    private int len;

    AsciiSlice of(byte[] bytes, int offset, int length) {
        b = bytes;
        off = offset;
        len = length;
        return this;
    }

    @Override
    public int length() {
        return len;
    }

    @Override
    public char charAt(int index) {
        // a non-ASCII byte reads as a character no date contains, so the fast path refuses it
        int c = b[off + index];
        return c < 0 ? '\uFFFF' : (char) c;
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(b, off + start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
