package dev.clickstream.transfer.parse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The parser's rules as transfer/DESIGN.md's tables state them ("Parsing"), row by row: a line, and the column
 * values, {@code _rest} or {@code _unparsed} reason it must give. Run in memory by ParserRulesTest and on both
 * generations of ClickHouse by ParserRulesIT, so a row of the table that stops holding fails in both.
 */
public final class ParserRules {
    public static final String TOPIC = "rules";
    public static final String CONFIG = """
            source:
              topic_name: rules
              parser:
                json:
                  schema:
                    fields:
                      - {name: id, type: uint64, key: true}
                      - {name: ts, type: datetime, required: true}
                      - {name: n, type: int8}
                      - {name: d, type: double}
                      - {name: at, type: datetime}
                      - {name: a, type: any}
                      - {name: s, type: string}
                      - {name: u, type: utf8}
                      - {name: city, type: utf8, path: geo.city}
                      - {name: lat, type: double, path: geo.lat}
                      - {name: f2, type: string, path: f1.f2}
                      - {name: y, type: string, path: x/y}
                  null_keys_allowed: true
                  add_rest_column: true
            """;
    public static final List<String> FIELDS = List.of("id", "ts", "n", "d", "at", "a", "s", "u", "city", "lat", "f2", "y");
    /** A column's text when the line gives it no value. */
    public static final String NULL = "\\N";
    private static final String TS = "\"ts\":\"2026-11-25T10:15:30Z\"";
    private static final String TS_TEXT = "2026-11-25 10:15:30.000000";

    /**
     * One row of a rule's table. {@code line} writes a byte that is not UTF-8 as {@code \xHH} (no JSON escape
     * looks like it). {@code columns}: the values that differ from the defaults (id 1, ts as {@link #TS},
     * every other field NULL), as ClickHouse's toString writes them for DateTime64(6); null {@code reason}: the
     * line lands in the target.
     */
    public record Case(String rule, String line, Map<String, String> columns, String rest, String reason) {
        public byte[] bytes() {
            return ParserRules.bytes(line);
        }

        public boolean unparsed() {
            return reason != null;
        }

        /** What the column must hold, or {@link #NULL}. */
        public String expected(String column) {
            if (columns.containsKey(column)) {
                return columns.get(column);
            }
            return switch (column) {
                case "id" -> "1";
                case "ts" -> TS_TEXT;
                case "_rest" -> rest;
                default -> NULL;
            };
        }
    }

    private ParserRules() {
    }

    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // 1. What a nested path does not take stays in _rest.
        c.add(ok("rest", "\"geo\":{\"city\":\"Berlin\",\"zip\":\"10115\"}", Map.of("city", "Berlin"),
                "{\"geo\":{\"zip\":\"10115\"}}"));
        c.add(ok("rest", "\"geo\":{\"city\":\"Berlin\"}", Map.of("city", "Berlin"), "{}"));
        c.add(ok("rest", "\"geo\":{\"zip\":\"10115\",\"sub\":{}}", Map.of(), "{\"geo\":{\"zip\":\"10115\",\"sub\":{}}}"));
        c.add(ok("rest", "\"geo\":\"Berlin\"", Map.of(), "{\"geo\":\"Berlin\"}"));
        c.add(ok("rest", "\"geo\":{\"city\":null,\"zip\":1.10}", Map.of(), "{\"geo\":{\"zip\":1.10}}"));
        // 2. A value that does not fit an optional field: NULL, and the value in _rest; key or required: unparsed.
        c.add(ok("optional", "\"n\":128", Map.of(), "{\"n\":128}"));
        c.add(ok("optional", "\"n\":\"abc\"", Map.of(), "{\"n\":\"abc\"}"));
        c.add(ok("optional", "\"n\":5", Map.of("n", "5"), "{}"));
        c.add(ok("optional", "\"d\":{\"x\":1}", Map.of(), "{\"d\":{\"x\":1}}"));
        c.add(ok("optional", "\"at\":\"yesterday\"", Map.of(), "{\"at\":\"yesterday\"}"));
        c.add(ok("optional", "\"geo\":{\"city\":\"Berlin\",\"lat\":\"north\"}", Map.of("city", "Berlin"),
                "{\"geo\":{\"lat\":\"north\"}}"));
        c.add(bad("optional", "{\"id\":-1," + TS + "}", "field 'id': '-1' is not a uint64"));
        c.add(bad("optional", "{\"id\":7,\"ts\":\"yesterday\"}", "field 'ts': 'yesterday' is not a date and time"));
        // 3. A missing key with null_keys_allowed is NULL, apart from a real 0.
        c.add(new Case("null key", "{" + TS + "}", Map.of("id", NULL), "{}", null));
        c.add(new Case("null key", "{\"id\":0," + TS + "}", Map.of("id", "0"), "{}", null));
        // 4. any: a string is its text; anything else its JSON, numbers as written.
        c.add(ok("any", "\"a\":\"hello\"", Map.of("a", "hello"), "{}"));
        c.add(ok("any", "\"a\":{\"x\":[1,2.50]}", Map.of("a", "{\"x\":[1,2.50]}"), "{}"));
        c.add(ok("any", "\"a\":12345678901234567890123", Map.of("a", "12345678901234567890123"), "{}"));
        // 5. Datetimes.
        c.add(ok("datetime", "\"at\":\"1332151919\"", Map.of("at", "2012-03-19 10:11:59.000000"), "{}"));
        c.add(ok("datetime", "\"at\":\"1332151919123\"", Map.of("at", "2012-03-19 10:11:59.123000"), "{}"));
        c.add(ok("datetime", "\"at\":\"2020-08-10 09:46:22.330498+03\"", Map.of("at", "2020-08-10 06:46:22.330498"), "{}"));
        c.add(ok("datetime", "\"at\":\"2020-08-10 09:46:22,330498\"", Map.of("at", "2020-08-10 09:46:22.330498"), "{}"));
        c.add(ok("datetime", "\"at\":1e400", Map.of(), "{\"at\":1e400}"));
        c.add(ok("datetime", "\"d\":1e400", Map.of(), "{\"d\":1e400}"));
        c.add(ok("datetime", "\"d\":-1e400", Map.of(), "{\"d\":-1e400}"));
        c.add(bad("datetime", "{\"id\":7,\"ts\":1e400}", "field 'ts': '1e400' is not a date and time"));
        // 6. Bytes that are not UTF-8 are kept for string, refused for utf8; a key given twice: the last wins.
        c.add(ok("bytes", "\"s\":\"caf\\xE9\"", Map.of("s", "hex:636166E9"), "{}"));
        c.add(ok("bytes", "\"u\":\"caf\\xE9\"", Map.of(), "hex:" + hex(bytes("{\"u\":\"caf\\xE9\"}"))));
        c.add(ok("bytes", "\"z\":\"\\xFF\\xFE\"", Map.of(), "hex:" + hex(bytes("{\"z\":\"\\xFF\\xFE\"}"))));
        c.add(ok("duplicates", "\"n\":1,\"n\":2", Map.of("n", "2"), "{}"));
        c.add(ok("duplicates", "\"n\":128,\"n\":3", Map.of("n", "3"), "{}"));
        c.add(ok("duplicates", "\"z\":1,\"z\":2", Map.of(), "{\"z\":2}"));
        c.add(ok("duplicates", "\"geo\":{\"city\":\"A\",\"city\":\"B\"}", Map.of("city", "B"), "{}"));
        c.add(ok("duplicates", "\"s\":\"a\",\"s\":\"\\xE9\"", Map.of("s", "hex:E9"), "{}"));
        // 7. Paths: into JSON held in a string, and a/b as a.b.
        c.add(ok("paths", "\"f1\":\"{\\\"f2\\\":\\\"x\\\"}\"", Map.of("f2", "x"), "{}"));
        c.add(ok("paths", "\"f1\":\"{\\\"f2\\\":\\\"x\\\",\\\"f3\\\":1}\"", Map.of("f2", "x"),
                "{\"f1\":\"{\\\"f2\\\":\\\"x\\\",\\\"f3\\\":1}\"}"));
        c.add(ok("paths", "\"f1\":\"not json\"", Map.of(), "{\"f1\":\"not json\"}"));
        c.add(ok("paths", "\"x\":{\"y\":\"slash\",\"w\":1}", Map.of("y", "slash"), "{\"x\":{\"w\":1}}"));
        return c;
    }

    private static Case ok(String rule, String members, Map<String, String> columns, String rest) {
        return new Case(rule, "{\"id\":1," + TS + "," + members + "}", columns, rest, null);
    }

    private static Case bad(String rule, String line, String reason) {
        return new Case(rule, line, Map.of(), null, reason);
    }

    /** The line's bytes: UTF-8, with each {@code \xHH} as the byte HH. */
    public static byte[] bytes(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < line.length(); i++) {
            if (line.startsWith("\\x", i)) {
                out.write(Integer.parseInt(line.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                int cp = line.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toByteArray();
    }

    /** An expected value as the hex of its bytes (what ClickHouse's hex(toString(c)) gives), NULL as it is. */
    public static String expectedHex(String expected) {
        if (expected.equals(NULL)) {
            return NULL;
        }
        return expected.startsWith("hex:") ? expected.substring(4) : hex(expected.getBytes(StandardCharsets.UTF_8));
    }

    public static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
