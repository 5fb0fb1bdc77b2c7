package dev.clickstream.transfer.parse;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.TableLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.clickstream.transfer.parse.ParserRules.NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Every row of DESIGN.md's parsing tables, in memory, on the parser as the transfer calls it (fast path first). */
class ParserRulesTest {
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.7.2.1", "18.16.1"})
    void every_row_of_the_rule_tables_holds(String version) {
        TableLayout layout = TableLayout.target(ConfigText.parse(ParserRules.CONFIG),
                ServerVersion.parse(version));
        JsonLineParser parser = new JsonLineParser(layout, true, false);
        List<String> failed = new ArrayList<>();
        for (ParserRules.Case c : ParserRules.cases()) {
            try {
                check(layout, parser, c);
            } catch (AssertionError e) {
                failed.add(e.getMessage());
            }
        }
        assertEquals(List.of(), failed, failed.size() + " of " + ParserRules.cases().size() + " rows fail");
    }

    private static void check(TableLayout layout, JsonLineParser parser, ParserRules.Case c) {
        byte[] line = c.bytes();
        byte[] framed = new byte[line.length + 4];
        System.arraycopy(line, 0, framed, 2, line.length);
        framed[0] = framed[1] = framed[framed.length - 2] = '{'; // a message's neighbouring bytes must not leak in
        framed[framed.length - 1] = '\n';
        Row row = new Row(layout.columns().size());
        ParseOutcome outcome = parser.parse(framed, 2, line.length, row);
        Row full = new Row(layout.columns().size());
        ParseOutcome fully = parser.parseFully(framed, 2, line.length, full);
        String where = "[" + c.rule() + "] " + c.line();
        if (c.unparsed()) {
            assertEquals(new ParseOutcome.Unparsed(c.reason()), outcome, where);
            return;
        }
        assertInstanceOf(ParseOutcome.Ok.class, outcome, where);
        assertEquals(outcome, fully, where);
        for (String column : ParserRules.FIELDS) {
            int i = layout.columnNames().indexOf(column);
            assertEquals(ParserRules.expectedHex(c.expected(column)), actualHex(layout, row, i), where + ": " + column);
            assertEquals(actualHex(layout, row, i), actualHex(layout, full, i),
                    where + ": the fast path and the full parser, " + column);
        }
        int rest = layout.columnNames().indexOf("_rest");
        assertEquals(ParserRules.expectedHex(c.rest()), actualHex(layout, row, rest), where + ": _rest");
    }

    /** The value as ClickHouse's toString would write it, as hex of its bytes. */
    private static String actualHex(TableLayout layout, Row row, int i) {
        if (!row.isPresent(i)) {
            return NULL;
        }
        Column c = layout.columns().get(i);
        String text = switch (c.type()) {
            case UINT64 -> Long.toUnsignedString(row.getLong(i));
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, BOOLEAN -> Long.toString(row.getLong(i));
            case DOUBLE -> Double.toString(row.getDouble(i));
            case DATETIME -> LocalDateTime.ofEpochSecond(Math.floorDiv(row.getLong(i), 1_000_000L),
                    (int) Math.floorMod(row.getLong(i), 1_000_000L) * 1000, ZoneOffset.UTC).format(MICROS);
            case STRING, UTF8, ANY -> null;
        };
        if (text != null) {
            return ParserRules.hex(text.getBytes(StandardCharsets.UTF_8));
        }
        if (row.getBytes(i) != null) {
            int from = row.bytesOffset(i);
            return ParserRules.hex(Arrays.copyOfRange(row.getBytes(i), from, from + row.bytesLength(i)));
        }
        return ParserRules.hex(row.getString(i).getBytes(StandardCharsets.UTF_8));
    }
}
