package dev.clickstream.transfer.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.CharArrayWriter;
import java.io.IOException;

/**
 * The {@code _rest} object of one line, written as the line is read: fields the schema does not name, what nested
 * paths left of a value, and values that did not fit an optional field. Values are copied as written (a float is
 * not re-printed as a double), and bytes that are not UTF-8 are kept (see {@link RawText}).
 */
final class RestObject {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final JsonFactory factory;
    private final ObjectMapper trees;
    private final ByteArrayBuilder bytes = new ByteArrayBuilder(256);
    private final CharArrayWriter chars = new CharArrayWriter(256);
    private JsonGenerator out;
    private boolean raw;

    RestObject(JsonFactory factory, ObjectMapper trees) {
        this.factory = factory;
        this.trees = trees;
    }

    /** A new line; {@code rawBytes}: it is read as RawText's chars, so the object is written as chars too. */
    void reset(boolean rawBytes) {
        bytes.reset();
        chars.reset();
        out = null;
        raw = rawBytes;
    }

    /** Copies the value at the parser's current token under {@code name}, leaving the parser at its last token. */
    void copy(String name, JsonParser p) throws IOException {
        open().writeFieldName(name);
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                out.writeNumber(p.getText()); // as a double, 1e400 would become "Infinity"
            } else {
                out.copyCurrentEvent(p);
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        } while (depth > 0 && p.nextToken() != null);
    }

    void write(String name, JsonNode value) throws IOException {
        open().writeFieldName(name);
        trees.writeTree(out, value);
    }

    /** The object's bytes; {} when nothing was kept. */
    byte[] value() throws IOException {
        if (out == null) {
            return EMPTY_OBJECT;
        }
        out.writeEndObject();
        out.close();
        if (raw) {
            char[] c = chars.toCharArray();
            return RawText.encode(c, 0, c.length);
        }
        return bytes.toByteArray();
    }

    private JsonGenerator open() throws IOException {
        if (out == null) {
            out = raw ? factory.createGenerator(chars) : factory.createGenerator(bytes);
            out.writeStartObject();
        }
        return out;
    }
}
