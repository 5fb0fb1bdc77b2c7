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
    /** Where a column's bytes start and how many there are: a slice of the Kafka message, or a whole array. */
    private final int[] bytesOffset;
    private final int[] bytesLength;
    final boolean[] present;
    /** Text values copied from the parser's buffer, so the hot path makes no String per field. */
    private char[] arena = new char[1024];
    private int arenaSize;
    private final int[] charStart;
    private final int[] charLength;
    private int droppedValues;

    public Row(int columns) {
        longs = new long[columns];
        doubles = new double[columns];
        strings = new String[columns];
        bytes = new byte[columns][];
        bytesOffset = new int[columns];
        bytesLength = new int[columns];
        present = new boolean[columns];
        charStart = new int[columns];
        charLength = new int[columns];
        Arrays.fill(charStart, -1);
    }

    public void clear() {
        Arrays.fill(present, false);
        Arrays.fill(strings, null);
        Arrays.fill(bytes, null);
        Arrays.fill(charStart, -1);
        arenaSize = 0;
        droppedValues = 0;
    }

    /** A value of a field whose column is gone from the table was left out of this row. */
    public void dropValue() {
        droppedValues++;
    }

    public int droppedValues() {
        return droppedValues;
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

    /** The string of a column, however it was set (string, chars or UTF-8 bytes). */
    public String getString(int column) {
        if (charStart[column] >= 0) {
            return new String(arena, charStart[column], charLength[column]);
        }
        if (strings[column] == null && bytes[column] != null) {
            return new String(bytes[column], bytesOffset[column], bytesLength[column],
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        return strings[column];
    }

    public boolean hasChars(int column) {
        return charStart[column] >= 0;
    }

    public char[] arena() {
        return arena;
    }

    public int charStart(int column) {
        return charStart[column];
    }

    public int charLength(int column) {
        return charLength[column];
    }

    public void setChars(int column, char[] source, int offset, int length) {
        if (arenaSize + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + length));
        }
        System.arraycopy(source, offset, arena, arenaSize, length);
        charStart[column] = arenaSize;
        charLength[column] = length;
        arenaSize += length;
        strings[column] = null;
        bytes[column] = null;
        present[column] = true;
    }

    /** The array holding a column's UTF-8 bytes (see {@link #bytesOffset}, {@link #bytesLength}), or null. */
    public byte[] getBytes(int column) {
        return bytes[column];
    }

    public int bytesOffset(int column) {
        return bytesOffset[column];
    }

    public int bytesLength(int column) {
        return bytesLength[column];
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
        charStart[column] = -1;
        present[column] = true;
    }

    public void setBytes(int column, byte[] value) {
        setBytes(column, value, 0, value.length);
    }

    /** UTF-8 text as a slice of a buffer that outlives the row's encoding (the Kafka message): nothing is copied. */
    public void setBytes(int column, byte[] source, int offset, int length) {
        bytes[column] = source;
        bytesOffset[column] = offset;
        bytesLength[column] = length;
        strings[column] = null;
        charStart[column] = -1;
        present[column] = true;
    }

    public void setNull(int column) {
        present[column] = false;
    }

    public int size() {
        return present.length;
    }
}
