package dev.clickstream.provisioner.analytics;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * JSON rows as an aligned text table: a header of column names, numbers right-aligned, null as "-", and
 * optionally a bar of '#' after each row, proportional to one numeric column.
 */
final class TextTable {
    private static final int BAR_WIDTH = 40;
    private static final String INDENT = "  ";

    private TextTable() {
    }

    static void print(PrintWriter out, List<JsonNode> rows, String barColumn) {
        if (rows.isEmpty()) {
            out.println(INDENT + "(no events in the window)");
            return;
        }
        List<String> columns = new ArrayList<>();
        for (Iterator<String> it = rows.get(0).fieldNames(); it.hasNext(); ) {
            columns.add(it.next());
        }
        int[] widths = new int[columns.size()];
        boolean[] numeric = new boolean[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            numeric[c] = true;
            for (JsonNode row : rows) {
                JsonNode v = row.path(columns.get(c));
                widths[c] = Math.max(widths[c], text(v).length());
                numeric[c] &= v.isNumber() || v.isNull() || v.isMissingNode();
            }
        }
        double max = barColumn == null ? 0 : rows.stream().mapToDouble(r -> r.path(barColumn).asDouble()).max()
                .orElse(0);
        out.println(line(columns.stream().map(c -> (JsonNode) null).toList(), columns, widths, numeric, true, ""));
        for (JsonNode row : rows) {
            List<JsonNode> values = columns.stream().map(row::path).toList();
            String bar = barColumn == null || max <= 0 ? ""
                    : "#".repeat((int) Math.round(BAR_WIDTH * row.path(barColumn).asDouble() / max));
            out.println(line(values, columns, widths, numeric, false, bar));
        }
    }

    private static String line(List<JsonNode> values, List<String> columns, int[] widths, boolean[] numeric,
                               boolean header, String bar) {
        StringBuilder sb = new StringBuilder(INDENT);
        for (int c = 0; c < columns.size(); c++) {
            String cell = header ? columns.get(c) : text(values.get(c));
            if (c > 0) {
                sb.append("  ");
            }
            boolean last = c == columns.size() - 1 && bar.isEmpty();
            sb.append(numeric[c] ? pad(cell, widths[c], true) : last ? cell : pad(cell, widths[c], false));
        }
        if (!bar.isEmpty()) {
            sb.append("  ").append(bar);
        }
        return sb.toString().stripTrailing();
    }

    private static String pad(String s, int width, boolean right) {
        String space = " ".repeat(Math.max(0, width - s.length()));
        return right ? space + s : s + space;
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "-" : v.asText();
    }
}
