package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Locale;

/**
 * Reads one JSON value into a column by the field's type. A value that does not fit leaves the row untouched and
 * the parser where it was (so the caller can still copy the value to {@code _rest}) and comes back as the reason.
 */
final class FieldValues {
    private final ObjectMapper trees;
    private final boolean microseconds;
    /** The line was read from {@link RawText}'s chars: a lone U+DC80..U+DCFF stands for a byte that is not UTF-8. */
    private boolean rawBytes;

    FieldValues(ObjectMapper trees, boolean microseconds) {
        this.trees = trees;
        this.microseconds = microseconds;
    }

    void rawBytes(boolean on) {
        rawBytes = on;
    }

    /** Reads the value at the parser's current token into the column; returns why it does not fit, or null. */
    String read(JsonParser p, JsonToken t, Column c, int column, Row row) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        FieldType type = c.type();
        switch (type) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> {
                return readInteger(p, t, c, column, row);
            }
            case DOUBLE -> {
                return readDouble(p, t, c, column, row);
            }
            case BOOLEAN -> {
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    row.setLong(column, t == JsonToken.VALUE_TRUE ? 1 : 0);
                    return null;
                }
                String text = t.isScalarValue() ? p.getText().trim().toLowerCase(Locale.ROOT) : "";
                switch (text) {
                    case "true", "1" -> row.setLong(column, 1);
                    case "false", "0" -> row.setLong(column, 0);
                    default -> {
                        return notA(c, describe(p, t));
                    }
                }
                return null;
            }
            case STRING, UTF8, ANY -> {
                return readText(p, t, c, column, row);
            }
            case DATETIME -> {
                return readDateTime(p, t, c, column, row);
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    /**
     * A string's own text (for {@code any} too: {@code "hello"} is stored as hello); any other value as its JSON
     * text. Bytes that are not UTF-8 are kept for {@code string} and {@code any}, refused for {@code utf8}.
     */
    private String readText(JsonParser p, JsonToken t, Column c, int column, Row row) throws IOException {
        if (t == JsonToken.VALUE_STRING) {
            char[] chars = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            if (rawBytes && RawText.hasRawBytes(chars, off, len)) {
                if (c.type() == FieldType.UTF8) {
                    return "field '" + c.name() + "': the value is not valid UTF-8";
                }
                row.setBytes(column, RawText.encode(chars, off, len));
            } else {
                row.setChars(column, chars, off, len);
            }
            return null;
        }
        // a number or literal as JSON writes it (exact big integers included); a container as its JSON text
        return text(t.isScalarValue() ? p.getText() : trees.readTree(p).toString(), c, column, row);
    }

    /** An object or array: its JSON text for string, utf8 and any; no other type takes one. */
    String readContainer(JsonNode node, Column c, int column, Row row) {
        return switch (c.type()) {
            case STRING, UTF8, ANY -> text(node.toString(), c, column, row);
            case DATETIME -> "field '" + c.name() + "': " + (node.isObject() ? "an object" : "an array")
                    + " is not a date and time";
            default -> notA(c, node.isObject() ? "an object" : "an array");
        };
    }

    private String text(String text, Column c, int column, Row row) {
        if (rawBytes && RawText.hasRawBytes(text.toCharArray(), 0, text.length())) {
            if (c.type() == FieldType.UTF8) {
                return "field '" + c.name() + "': the value is not valid UTF-8";
            }
            row.setBytes(column, RawText.encode(text.toCharArray(), 0, text.length()));
        } else {
            row.setString(column, text);
        }
        return null;
    }

    private String readDouble(JsonParser p, JsonToken t, Column c, int column, Row row) throws IOException {
        double d;
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            d = p.getDoubleValue();
        } else if (t == JsonToken.VALUE_STRING) {
            String text = p.getText().trim();
            // Double.parseDouble also takes "NaN", "1e5d" and hex floats, which no JSON number is.
            if (!JsonLineParser.JSON_NUMBER.matcher(text).matches()) {
                return notA(c, p.getText());
            }
            d = Double.parseDouble(text);
        } else {
            return notA(c, describe(p, t));
        }
        if (!Double.isFinite(d)) {
            // 1e400 overflows to infinity: storing +inf would be a value the producer never wrote
            return "field '" + c.name() + "': '" + JsonLineParser.abbreviate(p.getText(), 40)
                    + "' is outside the range of a double";
        }
        row.setDouble(column, d);
        return null;
    }

    private String readDateTime(JsonParser p, JsonToken t, Column c, int column, Row row) throws IOException {
        long micros;
        if (t == JsonToken.VALUE_STRING) {
            micros = DateTimes.parseMicros(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        } else if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            micros = DateTimes.epochNumberToMicros(p.getLongValue());
        } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            micros = DateTimes.epochNumberToMicros(p.getDoubleValue());
        } else {
            return "field '" + c.name() + "': " + describe(p, t) + " is not a date and time";
        }
        if (micros == Long.MIN_VALUE) {
            return "field '" + c.name() + "': '" + JsonLineParser.abbreviate(p.getText(), 40) + "' is not a date and time";
        }
        boolean fits = microseconds
                ? micros >= DateTimes.MIN_DATETIME64_MICROS && micros <= DateTimes.MAX_DATETIME64_MICROS
                : micros >= 0 && micros <= DateTimes.MAX_DATETIME_MICROS;
        if (!fits) {
            return "field '" + c.name() + "': '" + JsonLineParser.abbreviate(p.getText(), 40) + "' is outside the range of "
                    + (microseconds ? "DateTime64 (1900-2299)" : "DateTime (1970-2106)");
        }
        row.setLong(column, micros);
        return null;
    }

    private static String readInteger(JsonParser p, JsonToken t, Column c, int column, Row row) throws IOException {
        FieldType type = c.type();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_STRING) {
            return notA(c, describe(p, t));
        }
        // Digits are read straight from the parser's buffer: Jackson would make a BigInteger of every id above 2^63.
        char[] chars = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (t == JsonToken.VALUE_STRING) {
            while (len > 0 && chars[off] == ' ') {
                off++;
                len--;
            }
            while (len > 0 && chars[off + len - 1] == ' ') {
                len--;
            }
        }
        boolean negative = len > 0 && chars[off] == '-';
        int i = negative || (len > 0 && chars[off] == '+') ? off + 1 : off;
        int end = off + len;
        if (i == end || end - i > 20) {
            return notA(c, new String(chars, off, len));
        }
        long magnitude = 0;
        for (; i < end; i++) {
            char ch = chars[i];
            if (ch < '0' || ch > '9') {
                return notA(c, new String(chars, off, len));
            }
            int digit = ch - '0';
            // unsigned overflow check: magnitude * 10 + digit must stay below 2^64
            if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                return notA(c, new String(chars, off, len));
            }
            magnitude = magnitude * 10 + digit;
        }
        boolean fits;
        long v;
        if (type == FieldType.UINT64) {
            fits = !negative || magnitude == 0;
            v = magnitude;
        } else if (negative) {
            fits = Long.compareUnsigned(magnitude, Long.MIN_VALUE) <= 0 && -magnitude >= type.min();
            v = -magnitude;
        } else {
            fits = magnitude >= 0 && magnitude <= type.max();
            v = magnitude;
        }
        if (!fits) {
            return notA(c, new String(chars, off, len));
        }
        row.setLong(column, v);
        return null;
    }

    private static String notA(Column c, String value) {
        return "field '" + c.name() + "': '" + JsonLineParser.abbreviate(value, 40) + "' is not "
                + article(c.type()) + " " + c.type().configName();
    }

    private static String article(FieldType t) {
        return t.isInteger() || t == FieldType.ANY ? (t.configName().startsWith("u") ? "a" : "an") : "a";
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> p.getText();
        };
    }
}
