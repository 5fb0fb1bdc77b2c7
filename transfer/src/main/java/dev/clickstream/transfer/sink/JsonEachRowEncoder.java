package dev.clickstream.transfer.sink;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** JSONEachRow: one JSON object per row. Kept to measure against RowBinary (batch.format: JSONEachRow). */
final class JsonEachRowEncoder implements RowEncoder {
    private final List<Column> columns;
    private final byte[][] names;
    private final boolean micros;

    JsonEachRowEncoder(TableLayout layout) {
        this.columns = layout.columns();
        this.micros = layout.hasMicroseconds();
        this.names = new byte[columns.size()][];
        for (int i = 0; i < columns.size(); i++) {
            names[i] = ((i == 0 ? "{\"" : ",\"") + columns.get(i).name() + "\":").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public InsertFormat format() {
        return InsertFormat.JSON_EACH_ROW;
    }

    @Override
    public void encode(Row row, ByteSink out) {
        for (int i = 0; i < columns.size(); i++) {
            out.write(names[i]);
            Column c = columns.get(i);
            if (!row.isPresent(i)) {
                if (c.nullable()) {
                    out.writeUtf8("null");
                    continue;
                }
            }
            boolean present = row.isPresent(i);
            FieldType t = c.type();
            switch (t) {
                case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, BOOLEAN ->
                        out.writeUtf8(Long.toString(present ? row.getLong(i) : 0));
                case UINT64 -> out.writeUtf8(Long.toUnsignedString(present ? row.getLong(i) : 0));
                case DOUBLE -> {
                    double d = present ? row.getDouble(i) : 0;
                    out.writeUtf8(Double.isFinite(d) ? Double.toString(d) : "null");
                }
                case STRING, UTF8, ANY -> writeString(present ? row.getString(i) : "", out);
                case DATETIME -> writeString(formatTime(c, present ? row.getLong(i) : 0), out);
                default -> throw new IllegalStateException("unhandled type " + t);
            }
        }
        out.write('}');
        out.write('\n');
    }

    private String formatTime(Column c, long epochMicros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1000, ZoneOffset.UTC);
        String base = String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
        if (!micros) {
            return base;
        }
        return c.kind() == ColumnKind.TIMESTAMP ? base + String.format(".%03d", t.getNano() / 1_000_000)
                : base + String.format(".%06d", t.getNano() / 1000);
    }

    private static void writeString(String s, ByteSink out) {
        out.write('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.writeUtf8("\\\"");
                case '\\' -> out.writeUtf8("\\\\");
                case '\n' -> out.writeUtf8("\\n");
                case '\r' -> out.writeUtf8("\\r");
                case '\t' -> out.writeUtf8("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.writeUtf8(String.format("\\u%04x", (int) ch));
                    } else if (ch < 0x80) {
                        out.write(ch);
                    } else {
                        // a surrogate pair is written whole; a lone half becomes U+FFFD in ByteSink's UTF-8 writer
                        int len = Character.isHighSurrogate(ch) && i + 1 < n
                                && Character.isLowSurrogate(s.charAt(i + 1)) ? 2 : 1;
                        out.writeUtf8(s.substring(i, i + len));
                        i += len - 1;
                    }
                }
            }
        }
        out.write('"');
    }
}
