package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
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
    /** Strict about a key given twice, at any depth: such a line is read again with the last value of each. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** Trees keep numbers exactly as written (1.10 stays 1.10, 1e400 is not infinity) for any and _rest. */
    private static final ObjectMapper TREES = exact(FACTORY);
    /** Keeps the last of duplicate keys. */
    private static final ObjectMapper LENIENT = exact(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER).build());

    private static ObjectMapper exact(JsonFactory factory) {
        return JsonMapper.builder(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    /** A number as JSON writes it; the fast path skips unknown values by it too. */
    static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private final TableLayout layout;
    private final List<Column> columns;
    private final TopLevelPlans plans;
    private final int restColumn;
    private final boolean nullKeysAllowed;
    private final boolean schemaEvolution;
    private final java.util.Set<String> gone;
    private final FlatLineScanner scanner;
    private final FieldValues values;
    private final NestedPaths paths = new NestedPaths(LENIENT);
    private final RestObject rest = new RestObject(FACTORY, TREES);
    /** The line holds bytes that are not UTF-8 and is read as {@link RawText}'s chars. */
    private boolean rawLine;

    public JsonLineParser(TableLayout layout, boolean nullKeysAllowed, boolean schemaEvolution) {
        this.layout = layout;
        this.columns = layout.columns();
        this.nullKeysAllowed = nullKeysAllowed;
        this.schemaEvolution = schemaEvolution;
        this.gone = layout.goneFields();
        this.scanner = new FlatLineScanner(layout, schemaEvolution, gone);
        this.values = new FieldValues(TREES, layout.hasMicroseconds());
        this.plans = new TopLevelPlans(columns);
        this.restColumn = layout.indexOf(ColumnKind.REST);
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
        raw(false);
        try {
            try {
                return parse(FACTORY.createParser(data, offset, length), row);
            } catch (JsonProcessingException e) {
                if (RawText.isUtf8(data, offset, length)) {
                    if (!isDuplicate(e)) {
                        throw e;
                    }
                    row.clear();
                    return withoutDuplicates(LENIENT.getFactory().createParser(data, offset, length), row);
                }
            }
            // Bytes that are not UTF-8: read again as chars that keep them (see RawText).
            row.clear();
            raw(true);
            char[] chars = RawText.decode(data, offset, length);
            try {
                return parse(FACTORY.createParser(chars, 0, chars.length), row);
            } catch (JsonProcessingException e) {
                if (!isDuplicate(e)) {
                    throw e;
                }
                row.clear();
                return withoutDuplicates(LENIENT.getFactory().createParser(chars, 0, chars.length), row);
            }
        } catch (JsonProcessingException e) {
            return new ParseOutcome.Unparsed("malformed JSON: " + abbreviate(e.getOriginalMessage(), 160)
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void raw(boolean on) {
        rawLine = on;
        values.rawBytes(on);
    }

    private static boolean isDuplicate(JsonProcessingException e) {
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
    }

    /**
     * A key given twice, at any depth: the last value wins, as JSON parsers do. The line is read into a tree, which
     * keeps the last, written out and parsed again. Rare enough that the cost does not matter.
     */
    private ParseOutcome withoutDuplicates(JsonParser line, Row row) throws IOException {
        char[] chars = LENIENT.writeValueAsString(LENIENT.readTree(line)).toCharArray();
        return parse(FACTORY.createParser(chars, 0, chars.length), row);
    }

    private ParseOutcome parse(JsonParser parser, Row row) throws IOException {
        Map<String, FieldType> newFields = null;
        rest.reset(rawLine);
        try (JsonParser p = parser) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new ParseOutcome.Unparsed("not a JSON object");
            }
            JsonToken t;
            int position = 0;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                TopLevelPlans.Plan plan = plans.of(name, position++);
                if (plan == null) {
                    if (schemaEvolution && value != JsonToken.VALUE_NULL && IDENTIFIER.matcher(name).matches()
                            && layout.canEvolve(name)) {
                        if (newFields == null) {
                            newFields = new LinkedHashMap<>();
                        }
                        newFields.put(name, inferType(p, value));
                        p.skipChildren();
                    } else if (restColumn >= 0) {
                        rest.copy(name, p);
                    } else {
                        if (value != JsonToken.VALUE_NULL && gone.contains(name)) {
                            row.dropValue(); // its column went from the table, and there is no _rest to keep it
                        }
                        p.skipChildren();
                    }
                    continue;
                }
                String error = plan.nested() == null ? readTopLevel(p, value, name, plan.direct(), row)
                        : readNested(TREES.readTree(p), name, plan, row);
                if (error != null) {
                    return new ParseOutcome.Unparsed(error);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return new ParseOutcome.Unparsed("malformed JSON: the object does not end");
            }
            if (p.nextToken() != null) {
                return new ParseOutcome.Unparsed("malformed JSON: more after the object ends at column "
                        + p.currentLocation().getColumnNr());
            }
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
                if (!c.nullable()) {
                    setZero(c, i, row); // a server that allows no Nullable key: the type's zero, as before
                }
            } else if (c.required()) {
                return new ParseOutcome.Unparsed("required field '" + c.name() + "' is missing");
            }
        }
        if (restColumn >= 0) {
            row.setBytes(restColumn, rest.value());
        }
        return ParseOutcome.OK;
    }

    /**
     * A top-level field read into its column. A value that does not fit makes the line unparsed for a key or
     * required field (the reason comes back); for any other field the column is NULL and the value is kept in
     * {@code _rest} as it was (or, without _rest, counted as dropped).
     */
    private String readTopLevel(JsonParser p, JsonToken value, String name, int column, Row row) throws IOException {
        Column c = columns.get(column);
        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
            // read as a tree first, so a value that does not fit can still be kept whole
            JsonNode node = TREES.readTree(p);
            String error = readNode(node, column, row);
            return error == null ? null : misfit(c, column, error, name, node, row);
        }
        String error = values.read(p, value, c, column, row);
        if (error == null) {
            return null;
        }
        if (mustBePresent(c)) {
            return error;
        }
        row.setNull(column);
        if (restColumn >= 0) {
            rest.copy(name, p);
        } else {
            row.dropValue();
        }
        return null;
    }

    /**
     * A top-level value that feeds nested paths (and perhaps its own column): each path's value is read into its
     * column, and what the columns did not take stays in {@code _rest}: the rest of {@code geo} after
     * {@code geo.city}, and any value that did not fit an optional field.
     */
    private String readNested(JsonNode node, String name, TopLevelPlans.Plan plan, Row row) throws IOException {
        boolean whole = false;
        if (plan.direct() >= 0) {
            String error = readNode(node, plan.direct(), row);
            if (error != null && mustBePresent(columns.get(plan.direct()))) {
                return error;
            }
            whole = error == null;
            if (error != null) {
                row.setNull(plan.direct());
                if (restColumn < 0) {
                    row.dropValue();
                }
            }
        }
        paths.reset();
        for (int column : plan.nested()) {
            List<String> path = columns.get(column).path();
            JsonNode at = paths.find(node, path);
            if (at == null) {
                continue;
            }
            String error = at.isNull() ? null : readNode(at, column, row);
            if (error == null) {
                paths.consumed(path);
            } else if (mustBePresent(columns.get(column))) {
                return error;
            } else if (restColumn < 0) {
                row.dropValue();
            }
        }
        if (!whole && restColumn >= 0) {
            JsonNode left = paths.remainder(node);
            if (left != null) {
                rest.write(name, left);
            }
        }
        return null;
    }

    /** A value that does not fit its column: the reason for a key or required field, else NULL and the value kept. */
    private String misfit(Column c, int column, String error, String name, JsonNode node, Row row) throws IOException {
        if (mustBePresent(c)) {
            return error;
        }
        row.setNull(column);
        if (restColumn >= 0) {
            rest.write(name, node);
        } else {
            row.dropValue();
        }
        return null;
    }

    private static boolean mustBePresent(Column c) {
        return c.kind() == ColumnKind.FIELD && (c.key() || c.required());
    }

    private String readNode(JsonNode node, int column, Row row) throws IOException {
        if (node.isContainerNode()) {
            return values.readContainer(node, columns.get(column), column, row);
        }
        try (JsonParser np = node.traverse(TREES)) {
            return values.read(np, np.nextToken(), columns.get(column), column, row);
        }
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

    static String abbreviate(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
