package dev.clickstream.transfer.parse;

import dev.clickstream.common.clickhouse.SqlSession;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads back what a ClickHouse table holds for {@link ParserRules#cases()}, written as one message per case in
 * one partition (so a case's offset is its index), and says which rows of the rule tables it does not hold.
 * Values are compared as hex, so raw bytes and TSV's escapes cannot blur a difference.
 */
public final class StoredRules {
    private StoredRules() {
    }

    /** Every difference, one line each; empty when the table holds every row as the rule tables say. */
    public static List<String> mismatches(SqlSession ch, String table) {
        boolean micros = ch.version().hasDateTime64();
        List<ParserRules.Case> cases = ParserRules.cases();
        List<String> columns = new ArrayList<>(ParserRules.FIELDS);
        columns.add("_rest");
        String select = String.join(", ", columns.stream().map(c -> "hex(toString(" + c + "))").toList());
        Map<Long, String[]> rows = new HashMap<>();
        ch.queryText("SELECT _offset, " + select + " FROM " + table).lines()
                .forEach(l -> rows.put(Long.parseLong(l.split("\t")[0]), l.split("\t", -1)));
        Map<Long, String[]> bad = new HashMap<>();
        ch.queryText("SELECT _offset, hex(raw), hex(reason) FROM " + table + "_unparsed").lines()
                .forEach(l -> bad.put(Long.parseLong(l.split("\t")[0]), l.split("\t", -1)));

        List<String> failed = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            long offset = i;
            ParserRules.Case c = cases.get(i);
            String where = "[" + c.rule() + "] " + c.line();
            String[] row = rows.get(offset);
            String[] u = bad.get(offset);
            if (c.unparsed()) {
                boolean held = u != null && u[2].equals(ParserRules.expectedHex(c.reason()))
                        && u[1].equals(ParserRules.hex(c.bytes()));
                if (!held) {
                    failed.add(where + ": expected in _unparsed with '" + c.reason() + "', got "
                            + (u == null ? "no row" : text(u[2])) + (row != null ? " (it is in the target)" : ""));
                }
                continue;
            }
            if (row == null) {
                failed.add(where + ": not in the target" + (u != null ? ": " + text(u[2]) : ""));
                continue;
            }
            for (int k = 0; k < columns.size(); k++) {
                String expected = c.expected(columns.get(k));
                boolean time = columns.get(k).equals("at") || columns.get(k).equals("ts");
                if (time && !micros && !expected.equals(ParserRules.NULL)) {
                    expected = expected.substring(0, 19); // 18.16's DateTime keeps whole seconds
                }
                String want = ParserRules.expectedHex(expected);
                if (!want.equals(row[k + 1])) {
                    failed.add(where + ": " + columns.get(k) + " is " + text(row[k + 1]) + ", expected " + text(want));
                }
            }
        }
        if (rows.size() + bad.size() != cases.size()) {
            failed.add(rows.size() + " target and " + bad.size() + " unparsed rows for " + cases.size() + " lines");
        }
        return failed;
    }

    private static String text(String hex) {
        return hex.equals(ParserRules.NULL) ? hex
                : "'" + new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8) + "'";
    }
}
