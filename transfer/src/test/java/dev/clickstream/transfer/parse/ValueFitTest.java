package dev.clickstream.transfer.parse;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.schema.ColumnType;
import dev.clickstream.transfer.schema.TableLayout;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values fitted to the types a person gave the columns after the transfer created them. */
class ValueFitTest {
    private static final TransferConfig CONFIG = ConfigText.parse("""
            source:
              topic_name: t
              parser:
                json:
                  schema:
                    fields:
                      - {name: user_ts, type: datetime, required: true}
                      - {name: id, type: uint64, required: true}
                      - {name: duration_ms, type: uint64}
                      - {name: price, type: double}
                      - {name: ok, type: boolean}
                      - {name: page, type: string}
                  add_rest_column: true
            """);
    private static final ServerVersion MODERN = ServerVersion.parse("26.7.2.1");
    private static final String LINE = "{\"user_ts\":\"2026-12-02T10:15:00.123456Z\",\"id\":7,\"duration_ms\":300,"
            + "\"price\":2.5,\"ok\":true,\"page\":\"/cart\"}";

    private record Fitted(TableLayout layout, Row row, String misfit) {
        int col(String name) {
            return layout.columnNames().indexOf(name);
        }
    }

    private static Fitted fit(Map<String, String> altered, String line) {
        TableLayout layout = TableLayout.target(CONFIG, MODERN).withTableTypes(altered);
        Row row = new Row(layout.columns().size());
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(ParseOutcome.Ok.class, new JsonLineParser(layout, false, false).parse(b, 0, b.length, row));
        return new Fitted(layout, row, new ValueFit(layout).apply(row));
    }

    @Test
    void the_types_the_transfer_creates_convert_nothing() {
        assertTrue(new ValueFit(TableLayout.target(CONFIG, MODERN)).isIdentity());
        assertTrue(new ValueFit(TableLayout.target(CONFIG, ServerVersion.parse("18.16.1"))).isIdentity());
    }

    @Test
    void an_integer_becomes_a_float64_a_string_or_a_wider_integer() {
        Fitted f = fit(Map.of("duration_ms", "Nullable(Float64)", "id", "String"), LINE);
        assertNull(f.misfit());
        assertEquals(300.0, f.row().getDouble(f.col("duration_ms")));
        assertEquals("7", f.row().getString(f.col("id")));
        assertNull(fit(Map.of("duration_ms", "Nullable(Int64)"), LINE).misfit(), "300 fits an Int64");
    }

    @Test
    void a_value_that_does_not_fit_a_narrower_type_names_the_column_and_both_types() {
        Fitted f = fit(Map.of("duration_ms", "Nullable(UInt8)"), LINE);
        assertEquals("column duration_ms is Nullable(UInt8) in the table: value 300 of field duration_ms (uint64) does"
                + " not fit", f.misfit());
        assertNull(fit(Map.of("duration_ms", "Nullable(UInt8)"), LINE.replace("300", "200")).misfit());
        assertTrue(fit(Map.of("id", "Int64"), LINE.replace("\"id\":7", "\"id\":18446744073709551615")).misfit()
                .contains("value 18446744073709551615 of field id (uint64)"), "above 2^63 only a UInt64 holds it");
    }

    @Test
    void a_double_fits_an_integer_only_when_it_is_whole() {
        Fitted whole = fit(Map.of("price", "Nullable(Int32)"), LINE.replace("2.5", "3.0"));
        assertNull(whole.misfit());
        assertEquals(3, whole.row().getLong(whole.col("price")));
        assertTrue(fit(Map.of("price", "Nullable(Int32)"), LINE).misfit().contains("value 2.5 of field price"));
        assertEquals("2.5", fit(Map.of("price", "String"), LINE).row().getString(2 + 1));
    }

    @Test
    void times_move_between_datetime_datetime64_date_and_string() {
        assertNull(fit(Map.of("user_ts", "DateTime('UTC')"), LINE).misfit());
        assertNull(fit(Map.of("user_ts", "DateTime64(3, 'UTC')"), LINE).misfit());
        assertNull(fit(Map.of("user_ts", "Date"), LINE).misfit());
        Fitted s = fit(Map.of("user_ts", "String"), LINE);
        assertEquals("2026-12-02 10:15:00.123456", s.row().getString(s.col("user_ts")));
        assertTrue(fit(Map.of("user_ts", "DateTime"), LINE.replace("2026-12-02", "1950-01-01")).misfit()
                .contains("time 1950-01-01 10:15:00.123456 of field user_ts (datetime)"), "DateTime starts in 1970");
        assertTrue(fit(Map.of("user_ts", "UInt64"), LINE).misfit().contains("is UInt64 in the table"));
    }

    @Test
    void booleans_and_strings() {
        Fitted f = fit(Map.of("ok", "String"), LINE);
        assertEquals("true", f.row().getString(f.col("ok")));
        assertTrue(fit(Map.of("page", "UInt32"), LINE).misfit().contains("a string of field page (string)"));
        assertNull(fit(Map.of("page", "LowCardinality(Nullable(String))"), LINE).misfit());
    }

    @Test
    void column_types_read_from_the_server() {
        ColumnType t = ColumnType.parse("LowCardinality(Nullable(String))");
        assertEquals(ColumnType.Base.STRING, t.base());
        assertTrue(t.nullable());
        assertEquals(3, ColumnType.parse("DateTime64(3, 'UTC')").scale());
        assertEquals(ColumnType.Base.DATETIME, ColumnType.parse("DateTime('Europe/Berlin')").base());
        assertEquals(ColumnType.Base.OTHER, ColumnType.parse("Decimal(18, 4)").base());
        assertEquals(ColumnType.Base.OTHER, ColumnType.parse("Array(String)").base());
    }
}
