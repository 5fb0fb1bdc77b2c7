package dev.clickstream.transfer.parse;

import java.util.Arrays;

/**
 * One row's values, by column position, in primitive slots so a line is parsed without boxing.
 * Integers, booleans and times (as epoch microseconds) live in {@code longs}; doubles in
 * {@code doubles}; strings in {@code strings}, or raw bytes in {@code bytes}.
 */
public final class Row {
    final long[] longs;
    final double[] doubles;
    final String[] strings;
    final byte[][] bytes;
    final boolean[] present;

    public Row(int columns) {
        longs = new long[columns];
        doubles = new double[columns];
        strings = new String[columns];
        bytes = new byte[columns][];
        present = new boolean[columns];
    }

    public void clear() {
        Arrays.fill(present, false);
        Arrays.fill(strings, null);
        Arrays.fill(bytes, null);
    }

    public boolean isPresent(int column) {
        return present[column];
    }

    public long getLong(int column) {
        return longs[column];
    }

    public double getDouble(int column) {
        return doubles[column];
    }

    /** The string of a column, or its raw bytes as UTF-8 when it was set from bytes. */
    public String getString(int column) {
        if (strings[column] == null && bytes[column] != null) {
            return new String(bytes[column], java.nio.charset.StandardCharsets.UTF_8);
        }
        return strings[column];
    }

    public byte[] getBytes(int column) {
        return bytes[column];
    }

    public void setLong(int column, long value) {
        longs[column] = value;
        present[column] = true;
    }

    public void setDouble(int column, double value) {
        doubles[column] = value;
        present[column] = true;
    }

    public void setString(int column, String value) {
        strings[column] = value;
        bytes[column] = null;
        present[column] = true;
    }

    public void setBytes(int column, byte[] value) {
        bytes[column] = value;
        strings[column] = null;
        present[column] = true;
    }

    public void setNull(int column) {
        present[column] = false;
    }

    public int size() {
        return present.length;
    }
}
