package dev.clickstream.transfer.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses one JSON line into a {@link Row} by the parser schema. Top-level fields are read straight from
 * the token stream into their columns; only a field that holds nested paths is read as a tree. Fields
 * the schema does not name go to {@code _rest} as one JSON object, or, with schema evolution, come back
 * as {@link ParseOutcome.NewFields}. Every failure is a reason a person can act on.
 */
public final class JsonLineParser {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    private static final ObjectMapper TREES = new ObjectMapper(FACTORY);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** A number as JSON writes it; the fast path skips unknown values by it too. */
    static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    /** The columns fed by one top-level field: one read directly, or several through nested paths. */
    private record TopLevel(int direct, int[] nested) {
    }

    private final TableLayout layout;
    private final List<Column> columns;
    private final Map<String, TopLevel> plans = new HashMap<>();
    private final int restColumn;
    private final boolean nullKeysAllowed;
    private final boolean schemaEvolution;
    private final java.util.Set<String> gone;
    private final FlatLineScanner scanner;
    private final ByteArrayBuilder restBytes = new ByteArrayBuilder(256);
    /** Field names in the order the last line had them: events of one stream nearly always repeat it. */
    private String[] lastNames = new String[32];
    private TopLevel[] lastPlans = new TopLevel[32];

    public JsonLineParser(TableLayout layout, boolean nullKeysAllowed, boolean schemaEvolution) {
        this.layout = layout;
        this.columns = layout.columns();
        this.nullKeysAllowed = nullKeysAllowed;
        this.schemaEvolution = schemaEvolution;
        this.gone = layout.goneFields();
        this.scanner = new FlatLineScanner(layout, schemaEvolution, gone);
        Map<String, List<Integer>> nested = new LinkedHashMap<>();
        Map<String, Integer> direct = new HashMap<>();
        int rest = -1;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.kind() == ColumnKind.REST) {
                rest = i;
            }
            if (c.kind() != ColumnKind.FIELD && c.kind() != ColumnKind.EVOLVED) {
                continue;
            }
            if (c.isNested()) {
                nested.computeIfAbsent(c.topLevelName(), k -> new ArrayList<>()).add(i);
            } else {
                direct.put(c.topLevelName(), i);
            }
        }
        for (var e : direct.entrySet()) {
            plans.put(e.getKey(), new TopLevel(e.getValue(), null));
        }
        for (var e : nested.entrySet()) {
            int d = direct.getOrDefault(e.getKey(), -1);
            plans.put(e.getKey(), new TopLevel(d, e.getValue().stream().mapToInt(Integer::intValue).toArray()));
        }
        this.restColumn = rest;
    }

    /** Fills the schema's columns (and _rest) of {@code row} from one line; the caller clears the row first. */
    public ParseOutcome parse(byte[] data, int offset, int length, Row row) {
        if (scanner.scan(data, offset, length, row)) {
            return ParseOutcome.OK;
        }
        row.clear();
        return parseFully(data, offset, length, row);
    }

    /**
     * The fast path over a message: reads the line at {@code from} and returns where it ends (its newline, or
     * {@code limit}), or -1 when it must be read by {@link #parseFully} (the row then needs clearing).
     */
    public int scanLine(byte[] data, int from, int limit, Row row) {
        return scanner.scanLine(data, from, limit, row);
    }

    /** The full parser: every line the fast path leaves, and the reason when a line is bad. */
    public ParseOutcome parseFully(byte[] data, int offset, int length, Row row) {
        Map<String, FieldType> newFields = null;
        restBytes.reset();
        boolean restOpen = false;
        try (JsonParser p = FACTORY.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new ParseOutcome.Unparsed("not a JSON object");
            }
            JsonGenerator rest = null;
            JsonToken t;
            int position = 0;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                TopLevel plan = planOf(name, position++);
                if (plan == null) {
                    if (schemaEvolution && value != JsonToken.VALUE_NULL && IDENTIFIER.matcher(name).matches()
                            && layout.canEvolve(name)) {
                        if (newFields == null) {
                            newFields = new LinkedHashMap<>();
                        }
                        newFields.put(name, inferType(p, value));
                        p.skipChildren();
                    } else if (restColumn >= 0) {
                        if (rest == null) {
                            rest = FACTORY.createGenerator(restBytes);
                            rest.writeStartObject();
                            restOpen = true;
                        }
                        rest.writeFieldName(name);
                        rest.copyCurrentStructure(p);
                    } else {
                        if (value != JsonToken.VALUE_NULL && gone.contains(name)) {
                            row.dropValue(); // its column went from the table, and there is no _rest to keep it
                        }
                        p.skipChildren();
                    }
                    continue;
                }
                if (plan.direct() >= 0 && row.present[plan.direct()]) {
                    // ClickHouse rejects a line with a key twice; keeping either value would be a guess.
                    return new ParseOutcome.Unparsed("field '" + name + "' appears twice");
                }
                if (plan.nested() == null) {
                    String error = read(p, value, plan.direct(), row);
                    if (error != null) {
                        return new ParseOutcome.Unparsed(error);
                    }
                    continue;
                }
                JsonNode node = TREES.readTree(p);
                if (plan.direct() >= 0) {
                    String error = readNode(node, plan.direct(), row);
                    if (error != null) {
                        return new ParseOutcome.Unparsed(error);
                    }
                }
                for (int column : plan.nested()) {
                    List<String> path = columns.get(column).path();
                    JsonNode at = node;
                    for (int k = 1; k < path.size() && at != null; k++) {
                        at = at.get(path.get(k));
                    }
                    if (at != null && !at.isNull() && !at.isMissingNode()) {
                        String error = readNode(at, column, row);
                        if (error != null) {
                            return new ParseOutcome.Unparsed(error);
                        }
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return new ParseOutcome.Unparsed("malformed JSON: the object does not end");
            }
            if (p.nextToken() != null) {
                return new ParseOutcome.Unparsed("malformed JSON: more after the object ends at column "
                        + p.currentLocation().getColumnNr());
            }
            if (rest != null) {
                rest.writeEndObject();
                rest.close();
            }
        } catch (JsonProcessingException e) {
            return new ParseOutcome.Unparsed("malformed JSON: " + abbreviate(e.getOriginalMessage(), 160)
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (newFields != null) {
            return new ParseOutcome.NewFields(newFields);
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.kind() != ColumnKind.FIELD || row.present[i]) {
                continue;
            }
            if (c.key()) {
                if (!nullKeysAllowed) {
                    return new ParseOutcome.Unparsed("key field '" + c.name() + "' is missing (null_keys_allowed is off)");
                }
                setZero(c, i, row);
            } else if (c.required()) {
                return new ParseOutcome.Unparsed("required field '" + c.name() + "' is missing");
            }
        }
        if (restColumn >= 0) {
            row.setBytes(restColumn, restOpen ? restBytes.toByteArray() : EMPTY_OBJECT);
        }
        return ParseOutcome.OK;
    }

    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    /** The plan of a top-level field; names are interned by Jackson, so a repeated order costs one comparison. */
    private TopLevel planOf(String name, int position) {
        if (position < lastNames.length) {
            if (lastNames[position] == name) {
                return lastPlans[position];
            }
            TopLevel plan = plans.get(name);
            lastNames[position] = name;
            lastPlans[position] = plan;
            return plan;
        }
        return plans.get(name);
    }

    private String readNode(JsonNode node, int column, Row row) throws IOException {
        try (JsonParser np = node.traverse(TREES)) {
            return read(np, np.nextToken(), column, row);
        }
    }

    /** Reads the value at the parser's current token into the column; returns why it does not fit, or null. */
    private String read(JsonParser p, JsonToken t, int column, Row row) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        Column c = columns.get(column);
        FieldType type = c.type();
        switch (type) {
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64 -> {
                return readInteger(p, t, c, column, row);
            }
            case DOUBLE -> {
                if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    row.setDouble(column, p.getDoubleValue());
                    return null;
                }
                if (t == JsonToken.VALUE_STRING) {
                    String text = p.getText().trim();
                    // Double.parseDouble also takes "NaN", "1e5d" and hex floats, which no JSON number is.
                    if (!JSON_NUMBER.matcher(text).matches()) {
                        return notA(c, p.getText());
                    }
                    row.setDouble(column, Double.parseDouble(text));
                    return null;
                }
                return notA(c, describe(p, t));
            }
            case BOOLEAN -> {
                if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                    row.setLong(column, t == JsonToken.VALUE_TRUE ? 1 : 0);
                    return null;
                }
                String text = t.isScalarValue() ? p.getText().trim().toLowerCase(java.util.Locale.ROOT) : "";
                switch (text) {
                    case "true", "1" -> row.setLong(column, 1);
                    case "false", "0" -> row.setLong(column, 0);
                    default -> {
                        return notA(c, describe(p, t));
                    }
                }
                return null;
            }
            case STRING, UTF8 -> {
                if (t == JsonToken.VALUE_STRING) {
                    row.setChars(column, p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                } else if (t.isScalarValue()) {
                    row.setString(column, p.getText());
                } else {
                    row.setString(column, TREES.readTree(p).toString());
                }
                return null;
            }
            case ANY -> {
                row.setString(column, TREES.readTree(p).toString());
                return null;
            }
            case DATETIME -> {
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
                    return "field '" + c.name() + "': '" + abbreviate(p.getText(), 40) + "' is not a date and time";
                }
                boolean fits = layout.hasMicroseconds()
                        ? micros >= DateTimes.MIN_DATETIME64_MICROS && micros <= DateTimes.MAX_DATETIME64_MICROS
                        : micros >= 0 && micros <= DateTimes.MAX_DATETIME_MICROS;
                if (!fits) {
                    return "field '" + c.name() + "': '" + abbreviate(p.getText(), 40) + "' is outside the range of "
                            + (layout.hasMicroseconds() ? "DateTime64 (1900-2299)" : "DateTime (1970-2106)");
                }
                row.setLong(column, micros);
                return null;
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
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

    private static void setZero(Column c, int column, Row row) {
        switch (c.type()) {
            case DOUBLE -> row.setDouble(column, 0d);
            case STRING, UTF8, ANY -> row.setString(column, "");
            default -> row.setLong(column, 0L);
        }
    }

    private static FieldType inferType(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> FieldType.STRING;
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? FieldType.UINT64
                    : FieldType.INT64;
            case VALUE_NUMBER_FLOAT -> FieldType.DOUBLE;
            case VALUE_TRUE, VALUE_FALSE -> FieldType.BOOLEAN;
            default -> FieldType.ANY;
        };
    }

    private static String notA(Column c, String value) {
        return "field '" + c.name() + "': '" + abbreviate(value, 40) + "' is not " + article(c.type()) + " "
                + c.type().configName();
    }

    private static String article(FieldType t) {
        return t == FieldType.INT8 || t == FieldType.INT16 || t == FieldType.INT32 || t == FieldType.INT64
                || t == FieldType.UINT8 || t == FieldType.UINT16 || t == FieldType.UINT32 || t == FieldType.UINT64
                || t == FieldType.ANY ? (t.configName().startsWith("u") ? "a" : "an") : "a";
    }

    private static String describe(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> p.getText();
        };
    }

    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
