package dev.clickstream.transfer.parse;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.schema.TableLayout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLineParserTest {
    private static final String CONFIG = """
            source:
              topic_name: t
              parser:
                json:
                  schema:
                    fields:
                      - {name: user_ts, type: datetime, required: true}
                      - {name: id, type: uint64, key: true}
                      - {name: small, type: int8}
                      - {name: count, type: uint32}
                      - {name: ratio, type: double}
                      - {name: ok, type: boolean}
                      - {name: city, type: utf8, path: geo.city}
                      - {name: geo, type: any}
                      - {name: tags, type: string}
                  null_keys_allowed: %s
                  add_rest_column: true
            target:
              schema_evolution: %s
            """;

    /** A parser for the schema above, on a modern server, and the row it fills. */
    private static final class Fixture {
        final TableLayout layout;
        final JsonLineParser parser;
        final Row row;

        Fixture(boolean nullKeys, boolean evolution) {
            TransferConfig config = ConfigText.parse(CONFIG.formatted(nullKeys, evolution));
            layout = TableLayout.target(config, ServerVersion.parse("25.8.1"));
            parser = new JsonLineParser(layout, nullKeys, evolution);
            row = new Row(layout.columns().size());
        }

        ParseOutcome parse(String line) {
            row.clear();
            byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
            return parser.parse(b, 2, b.length - 4, row);
        }

        int col(String name) {
            return layout.columnNames().indexOf(name);
        }

        String reason(String line) {
            ParseOutcome o = parse(line);
            assertInstanceOf(ParseOutcome.Unparsed.class, o, line);
            return ((ParseOutcome.Unparsed) o).reason();
        }
    }

    private final Fixture f = new Fixture(false, false);

    @Test
    void reads_every_type_and_keeps_unknown_fields_in_rest() {
        ParseOutcome o = f.parse("{\"user_ts\":\"2026-11-25T10:15:30.5Z\",\"id\":18446744073709551615,\"small\":-128,"
                + "\"count\":\"4294967295\",\"ratio\":0.25,\"ok\":true,\"geo\":{\"city\":\"Berlin\",\"zip\":1},"
                + "\"tags\":[\"a\",\"b\"],\"extra\":{\"x\":[1,2]},\"more\":null}");
        assertEquals(ParseOutcome.OK, o);
        Row row = f.row;
        assertEquals(-1L, row.getLong(f.col("id")), "2^64-1 is -1 as a signed long");
        assertEquals(-128, row.getLong(f.col("small")));
        assertEquals(4294967295L, row.getLong(f.col("count")));
        assertEquals(0.25, row.getDouble(f.col("ratio")));
        assertEquals(1, row.getLong(f.col("ok")));
        assertEquals("Berlin", row.getString(f.col("city")));
        assertEquals("{\"city\":\"Berlin\",\"zip\":1}", row.getString(f.col("geo")));
        assertEquals("[\"a\",\"b\"]", row.getString(f.col("tags")));
        assertEquals("{\"extra\":{\"x\":[1,2]},\"more\":null}", row.getString(f.col("_rest")));
        assertEquals(1_795_601_730_500_000L, row.getLong(f.col("user_ts")));
    }

    @Test
    void missing_optional_fields_are_null_and_rest_is_an_empty_object() {
        assertEquals(ParseOutcome.OK, f.parse("{\"user_ts\":1764065730,\"id\":1}"));
        assertFalse(f.row.isPresent(f.col("ratio")));
        assertFalse(f.row.isPresent(f.col("city")));
        assertEquals("{}", f.row.getString(f.col("_rest")));
    }

    @Test
    void says_why_a_line_is_unparsed() {
        assertEquals("not a JSON object", f.reason("[1,2]"));
        assertTrue(f.reason("{\"id\": 1,").startsWith("malformed JSON: "), f.reason("{\"id\": 1,"));
        assertTrue(f.reason("{\"id\":1} {\"id\":2}").startsWith("malformed JSON: more after the object"));
        assertEquals("required field 'user_ts' is missing", f.reason("{\"id\":1}"));
        assertEquals("key field 'id' is missing (null_keys_allowed is off)", f.reason("{\"user_ts\":1764065730}"));
        assertEquals("field 'id': '-5' is not a uint64", f.reason("{\"user_ts\":1764065730,\"id\":-5}"));
        assertEquals("field 'id': '18446744073709551616' is not a uint64",
                f.reason("{\"user_ts\":1764065730,\"id\":18446744073709551616}"));
        assertEquals("field 'user_ts': 'yesterday' is not a date and time",
                f.reason("{\"user_ts\":\"yesterday\",\"id\":1}"));
        assertEquals("field 'user_ts': '2400-01-01T00:00:00Z' is outside the range of DateTime64 (1900-2299)",
                f.reason("{\"user_ts\":\"2400-01-01T00:00:00Z\",\"id\":1}"));
        assertEquals("field 'user_ts': '4611686018427387904' is not a date and time",
                f.reason("{\"user_ts\":4611686018427387904,\"id\":1}"));
    }

    @Test
    void a_value_that_does_not_fit_an_optional_field_is_null_and_kept_in_rest() {
        assertEquals(ParseOutcome.OK, f.parse("{\"user_ts\":1764065730,\"id\":1,\"small\":128,\"count\":\"abc\","
                + "\"ratio\":{},\"ok\":\"maybe\"}"));
        for (String column : new String[] {"small", "count", "ratio", "ok"}) {
            assertFalse(f.row.isPresent(f.col(column)), column);
        }
        assertEquals("{\"small\":128,\"count\":\"abc\",\"ratio\":{},\"ok\":\"maybe\"}", f.row.getString(f.col("_rest")));
    }

    @Test
    void a_key_given_twice_takes_the_last_value() {
        assertEquals(ParseOutcome.OK, f.parse("{\"user_ts\":1764065730,\"id\":1,\"id\":2}"));
        assertEquals(2L, f.row.getLong(f.col("id")));
    }

    @Test
    void a_double_in_a_string_must_be_a_json_number() {
        assertEquals(ParseOutcome.OK, f.parse("{\"user_ts\":1764065730,\"id\":1,\"ratio\":\" -1.5e3 \"}"));
        assertEquals(-1500.0, f.row.getDouble(f.col("ratio")));
        for (String bad : new String[] {"NaN", "Infinity", "1e5d", "0x1p3", "1.", ".5", "1e400"}) {
            assertEquals(ParseOutcome.OK, f.parse("{\"user_ts\":1764065730,\"id\":1,\"ratio\":\"" + bad + "\"}"), bad);
            assertFalse(f.row.isPresent(f.col("ratio")), bad);
            assertEquals("{\"ratio\":\"" + bad + "\"}", f.row.getString(f.col("_rest")), bad);
        }
    }

    @Test
    void a_missing_key_is_null_when_null_keys_are_allowed() {
        Fixture lenient = new Fixture(true, false);
        assertEquals(ParseOutcome.OK, lenient.parse("{\"user_ts\":1764065730}"));
        assertFalse(lenient.row.isPresent(lenient.col("id")));
        assertEquals("Nullable(UInt64)", lenient.layout.clickhouseType(lenient.layout.column("id").orElseThrow()));
    }

    @Test
    void schema_evolution_reports_new_top_level_fields_with_their_type() {
        Fixture evolving = new Fixture(false, true);
        ParseOutcome o = evolving.parse("{\"user_ts\":1764065730,\"id\":1,\"plan\":\"pro\",\"seats\":3,"
                + "\"trial\":false,\"meta\":{},\"bad-name\":1}");
        assertEquals(new ParseOutcome.NewFields(Map.of("plan", FieldType.STRING, "seats", FieldType.INT64,
                "trial", FieldType.BOOLEAN, "meta", FieldType.ANY)), o);
        TableLayout evolved = evolving.layout.withEvolved("plan", FieldType.STRING);
        JsonLineParser again = new JsonLineParser(evolved, false, true);
        Row r = new Row(evolved.columns().size());
        byte[] line = "{\"user_ts\":1764065730,\"id\":1,\"plan\":\"pro\",\"bad-name\":1}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseOutcome.OK, again.parse(line, 0, line.length, r));
        assertEquals("pro", r.getString(evolved.columnNames().indexOf("plan")));
        assertEquals("{\"bad-name\":1}", r.getString(evolved.columnNames().indexOf("_rest")));
    }

    @Test
    void schema_evolution_leaves_in_rest_a_field_named_like_an_existing_column() {
        // city is the column of geo.city: adding a column "city" again would repeat forever
        Fixture evolving = new Fixture(false, true);
        assertEquals(ParseOutcome.OK, evolving.parse("{\"user_ts\":1764065730,\"id\":1,\"city\":\"Paris\"}"));
        assertEquals("{\"city\":\"Paris\"}", evolving.row.getString(evolving.col("_rest")));
        assertFalse(evolving.row.isPresent(evolving.col("city")));

        TableLayout kept = evolving.layout.withKeptInRest("seats");
        JsonLineParser parser = new JsonLineParser(kept, false, true);
        Row r = new Row(kept.columns().size());
        byte[] line = "{\"user_ts\":1764065730,\"id\":1,\"seats\":3}".getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseOutcome.OK, parser.parse(line, 0, line.length, r), "a column the table has in another type");
        assertEquals("{\"seats\":3}", r.getString(kept.columnNames().indexOf("_rest")));
    }

    @Test
    void without_rest_a_value_that_does_not_fit_is_left_out_and_counted() {
        TransferConfig config = ConfigText.parse(ParserRules.CONFIG.replace("add_rest_column: true",
                "add_rest_column: false"));
        TableLayout layout = TableLayout.target(config, ServerVersion.parse("26.7.2.1"));
        JsonLineParser parser = new JsonLineParser(layout, true, false);
        Row row = new Row(layout.columns().size());
        byte[] line = "{\"id\":1,\"ts\":1764065730,\"n\":128,\"geo\":{\"lat\":\"north\"},\"other\":1}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(ParseOutcome.OK, parser.parse(line, 0, line.length, row));
        assertFalse(row.isPresent(layout.columnNames().indexOf("n")));
        assertEquals(2, row.droppedValues(), "n and geo.lat; a field the schema does not name is not counted");
    }
}
