package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fast path of {@link JsonLineParser}: reads the common line (a flat JSON object whose fields are all in the
 * schema, plain strings, numbers and literals) straight from the Kafka message's bytes into the row: strings stay
 * slices of the message (no String, no UTF-16 round trip), numbers are read from their digits. Anything it does not
 * read exactly as the full parser would (an escape, a nested value, an unknown field while _rest or schema evolution
 * need it, a value of the wrong type, a big number, a missing required field) makes it give up, and the line is
 * read again by the full parser, which also gives the reason when the line is bad.
 */
final class FlatLineScanner {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final List<Column> columns;
    /** The top-level field names read directly, as UTF-8, and the column each fills. */
    private final byte[][] names;
    /**
     * Each name as a compact writer puts it before its value, {@code "name":}, so the expected key of a position is
     * checked in one comparison; null for a name holding a quote or a backslash, which is only read the long way.
     */
    private final byte[][] keyTokens;
    private final int[] nameColumns;
    private final FieldType[] types;
    private final boolean[] mustBePresent;
    private final int restColumn;
    /** An unknown field means the full parser: it keeps it in _rest, evolves the schema, or counts it as gone. */
    private final boolean unknownNeedsFullParser;
    private final long minMicros;
    private final long maxMicros;
    /** The name index matched at each position of the last line: events of one stream repeat their order. */
    private int[] lastMatch = new int[32];
    private final int[] seenStamp;
    private int stamp;
    private final AsciiSlice ascii = new AsciiSlice();

    FlatLineScanner(TableLayout layout, boolean schemaEvolution, Set<String> gone) {
        this.columns = layout.columns();
        List<byte[]> n = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        Set<String> nestedTops = new java.util.HashSet<>();
        int rest = -1;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.kind() == ColumnKind.REST) {
                rest = i;
            }
            if (c.isField() && c.isNested()) {
                nestedTops.add(c.topLevelName());
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            // A top-level name that also feeds nested paths is read as a tree by the full parser.
            if (c.isField() && !c.isNested() && !nestedTops.contains(c.topLevelName())) {
                n.add(c.topLevelName().getBytes(StandardCharsets.UTF_8));
                cols.add(i);
            }
        }
        this.names = n.toArray(new byte[0][]);
        this.keyTokens = new byte[names.length][];
        for (int k = 0; k < names.length; k++) {
            keyTokens[k] = keyToken(names[k]);
        }
        this.nameColumns = cols.stream().mapToInt(Integer::intValue).toArray();
        this.types = new FieldType[columns.size()];
        this.mustBePresent = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            types[i] = columns.get(i).type();
            Column c = columns.get(i);
            mustBePresent[i] = c.kind() == ColumnKind.FIELD && (c.key() || c.required());
        }
        this.restColumn = rest;
        this.unknownNeedsFullParser = schemaEvolution || rest >= 0 || !gone.isEmpty() || !nestedTops.isEmpty();
        this.seenStamp = new int[columns.size()];
        // the full parser's range for this server's time type
        this.minMicros = layout.hasMicroseconds() ? DateTimes.MIN_DATETIME64_MICROS : 0;
        this.maxMicros = layout.hasMicroseconds() ? DateTimes.MAX_DATETIME64_MICROS : DateTimes.MAX_DATETIME_MICROS;
    }

    /** True when the line is read whole into the row; false: clear the row and read the line with the full parser. */
    boolean scan(byte[] b, int off, int len, Row row) {
        return scanLine(b, off, off + len, row) >= 0;
    }

    /**
     * Reads the line that starts at {@code off} into the row and returns where it ends: the index of the newline
     * after it, or {@code end}. So a message's lines are found while they are read, not in a pass of their own. A
     * newline inside the object ends the line as MessageLines would: the full parser then reads the pieces. -1:
     * clear the row and read the line with the full parser.
     */
    int scanLine(byte[] b, int off, int end, Row row) {
        if (++stamp == 0) {
            java.util.Arrays.fill(seenStamp, 0);
            stamp = 1;
        }
        int i = skipSpace(b, off, end);
        if (i >= end || b[i] != '{') {
            return -1;
        }
        i = skipSpace(b, i + 1, end);
        if (i < end && b[i] == '}') {
            i++;
        } else {
            for (int position = 0; ; position++) {
                if (i >= end || b[i] != '"') {
                    return -1;
                }
                int match = predictedKey(b, i, end, position);
                if (match >= 0) {
                    i += keyTokens[match].length;
                } else {
                    int keyStart = i + 1;
                    int keyEnd = keyStart;
                    while (keyEnd < end && b[keyEnd] != '"') {
                        if (b[keyEnd] == '\\') {
                            return -1;
                        }
                        keyEnd++;
                    }
                    if (keyEnd >= end) {
                        return -1;
                    }
                    i = skipSpace(b, keyEnd + 1, end);
                    if (i >= end || b[i] != ':') {
                        return -1;
                    }
                    i++;
                    match = match(b, keyStart, keyEnd - keyStart, position);
                }
                i = skipSpace(b, i, end);
                if (i >= end) {
                    return -1;
                }
                if (match < 0) {
                    if (unknownNeedsFullParser) {
                        return -1;
                    }
                    i = skipScalar(b, i, end);
                } else {
                    int column = nameColumns[match];
                    if (seenStamp[column] == stamp) {
                        return -1; // a key twice: the full parser says so
                    }
                    seenStamp[column] = stamp;
                    i = value(b, i, end, column, row);
                }
                if (i < 0) {
                    return -1;
                }
                i = skipSpace(b, i, end);
                if (i >= end) {
                    return -1;
                }
                if (b[i] == ',') {
                    i = skipSpace(b, i + 1, end);
                } else if (b[i] == '}') {
                    i++;
                    break;
                } else {
                    return -1;
                }
            }
        }
        i = skipSpace(b, i, end);
        if (i != end && b[i] != '\n') {
            return -1;
        }
        for (int column : nameColumns) {
            if (mustBePresent[column] && !row.isPresent(column)) {
                return -1;
            }
        }
        if (restColumn >= 0) {
            row.setBytes(restColumn, EMPTY_OBJECT);
        }
        return i;
    }

    /** The name index this position had in the last line when the same {@code "name":} stands at {@code i}; else -1. */
    private int predictedKey(byte[] b, int i, int end, int position) {
        if (position >= lastMatch.length) {
            return -1;
        }
        int last = lastMatch[position];
        byte[] token = last < keyTokens.length ? keyTokens[last] : null;
        if (token == null || i + token.length > end
                || java.util.Arrays.mismatch(b, i, i + token.length, token, 0, token.length) >= 0) {
            return -1;
        }
        return last;
    }

    private static byte[] keyToken(byte[] name) {
        for (byte c : name) {
            if (c == '"' || c == '\\') {
                return null;
            }
        }
        byte[] token = new byte[name.length + 3];
        token[0] = '"';
        System.arraycopy(name, 0, token, 1, name.length);
        token[name.length + 1] = '"';
        token[name.length + 2] = ':';
        return token;
    }

    private int match(byte[] b, int from, int length, int position) {
        if (position < lastMatch.length) {
            int last = lastMatch[position];
            if (last < names.length && equal(names[last], b, from, length)) {
                return last;
            }
        }
        for (int k = 0; k < names.length; k++) {
            if (equal(names[k], b, from, length)) {
                if (position >= lastMatch.length) {
                    lastMatch = java.util.Arrays.copyOf(lastMatch, Math.max(position + 1, lastMatch.length * 2));
                }
                lastMatch[position] = k;
                return k;
            }
        }
        return -1;
    }

    private static boolean equal(byte[] name, byte[] b, int from, int length) {
        if (name.length != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (name[k] != b[from + k]) {
                return false;
            }
        }
        return true;
    }

    /** Reads one value into the column; returns the index after it, or -1 to leave the line to the full parser. */
    private int value(byte[] b, int i, int end, int column, Row row) {
        byte first = b[i];
        if (first == 'n') {
            return literal(b, i, end, "null"); // the column stays empty
        }
        FieldType type = types[column];
        switch (type) {
            case STRING, UTF8 -> {
                if (first != '"') {
                    return -1;
                }
                int close = stringEnd(b, i + 1, end);
                if (close < 0) {
                    return -1;
                }
                row.setBytes(column, b, i + 1, close - i - 1);
                return close + 1;
            }
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> {
                return JsonNumbers.integer(b, i, end, column, type, row);
            }
            case DOUBLE -> {
                return JsonNumbers.decimal(b, i, end, column, row);
            }
            case BOOLEAN -> {
                if (first == 't') {
                    row.setLong(column, 1);
                    return literal(b, i, end, "true");
                }
                if (first == 'f') {
                    row.setLong(column, 0);
                    return literal(b, i, end, "false");
                }
                return -1;
            }
            case DATETIME -> {
                if (first != '"') {
                    return -1;
                }
                int close = stringEnd(b, i + 1, end);
                if (close < 0) {
                    return -1;
                }
                long micros = DateTimes.fastPath(ascii.of(b, i + 1, close - i - 1));
                if (micros == Long.MIN_VALUE || micros < minMicros || micros > maxMicros) {
                    return -1;
                }
                row.setLong(column, micros);
                return close + 1;
            }
            default -> {
                return -1; // ANY keeps the value's JSON text: the full parser writes it
            }
        }
    }

    /** The closing quote of a string without escapes or control characters, with valid UTF-8; else -1. */
    private static int stringEnd(byte[] b, int i, int end) {
        // Eight bytes at a time while none of them is a quote, a backslash, a control character or non-ASCII:
        // most of a line's bytes are such runs inside strings (user agents, URLs, ids).
        while (i + Long.BYTES <= end && plainAscii((long) WORDS.get(b, i))) {
            i += Long.BYTES;
        }
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) {
                return -1;
            }
            if (c < 0x80) {
                i++;
                continue;
            }
            int n = RawText.sequence(b, i, end);
            if (n < 0) {
                return -1;
            }
            i += n;
        }
        return -1;
    }

    private static final java.lang.invoke.VarHandle WORDS = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** True when no byte of the word is '"', '\\', below 0x20 or at or above 0x80 (no branch per byte). */
    static boolean plainAscii(long word) {
        long quote = word ^ (ONES * '"');
        long backslash = word ^ (ONES * '\\');
        // A byte is zero in quote/backslash, or below 0x20 in word, exactly when x - 0x01.. (or - 0x20..) borrows
        // into its high bit while the byte's own high bit was clear; bytes at or above 0x80 are caught by HIGHS.
        long special = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((word - ONES * 0x20) & ~word);
        return ((special | word) & HIGHS) == 0;
    }

    private static int literal(byte[] b, int i, int end, String word) {
        int n = word.length();
        if (i + n > end) {
            return -1;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                return -1;
            }
        }
        return i + n;
    }

    /** Skips a string, number or literal (a field the schema does not name, with nothing to keep it). */
    private static int skipScalar(byte[] b, int i, int end) {
        byte c = b[i];
        if (c == '"') {
            int close = stringEnd(b, i + 1, end);
            return close < 0 ? -1 : close + 1;
        }
        if (c == '{' || c == '[') {
            return -1;
        }
        int k = i;
        while (k < end && b[k] != ',' && b[k] != '}' && b[k] != ' ' && b[k] != '\t') {
            k++;
        }
        String token = new String(b, i, k - i, StandardCharsets.ISO_8859_1);
        // Only what JSON allows: the full parser refuses the rest with its reason.
        return token.equals("true") || token.equals("false") || token.equals("null")
                || JsonLineParser.JSON_NUMBER.matcher(token).matches() ? k : -1;
    }

    /** JSON's whitespace but the newline, which ends a line. */
    private static int skipSpace(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
            i++;
        }
        return i;
    }
}
