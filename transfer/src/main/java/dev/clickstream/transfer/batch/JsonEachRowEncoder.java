package dev.clickstream.transfer.batch;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.ColumnType;
import dev.clickstream.transfer.schema.TableLayout;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** JSONEachRow: one JSON object per row. Kept to measure against RowBinary (batch.format: JSONEachRow). */
final class JsonEachRowEncoder implements RowEncoder {
    private final ColumnType[] types;
    private final byte[][] names;

    JsonEachRowEncoder(TableLayout layout) {
        int n = layout.columns().size();
        this.types = new ColumnType[n];
        this.names = new byte[n][];
        for (int i = 0; i < n; i++) {
            types[i] = layout.tableType(i);
            names[i] = ((i == 0 ? "{\"" : ",\"") + layout.columns().get(i).name() + "\":").getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public InsertFormat format() {
        return InsertFormat.JSON_EACH_ROW;
    }

    @Override
    public void encode(Row row, ByteSink out) {
        for (int i = 0; i < types.length; i++) {
            out.write(names[i]);
            ColumnType t = types[i];
            boolean present = row.isPresent(i);
            if (!present && t.nullable()) {
                out.writeUtf8("null");
                continue;
            }
            switch (t.base()) {
                case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 ->
                        out.writeUtf8(Long.toString(present ? row.getLong(i) : 0));
                case UINT64 -> out.writeUtf8(Long.toUnsignedString(present ? row.getLong(i) : 0));
                case BOOL -> out.writeUtf8(present && row.getLong(i) != 0 ? "true" : "false");
                case FLOAT32, FLOAT64 -> {
                    double d = present ? row.getDouble(i) : 0;
                    out.writeUtf8(Double.isFinite(d) ? Double.toString(d) : "null");
                }
                case STRING -> {
                    if (present && row.getBytes(i) != null) {
                        // bytes as they came (a slice of the message, or a string field's bytes that are not UTF-8)
                        writeBytes(row.getBytes(i), row.bytesOffset(i), row.bytesLength(i), out);
                    } else {
                        writeString(present ? row.getString(i) : "", out);
                    }
                }
                case DATE, DATETIME, DATETIME64 -> writeString(formatTime(t, present ? row.getLong(i) : 0), out);
                default -> throw new IllegalStateException("cannot write type " + t);
            }
        }
        out.write('}');
        out.write('\n');
    }

    private static String formatTime(ColumnType type, long epochMicros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1000, ZoneOffset.UTC);
        String date = String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        if (type.base() == ColumnType.Base.DATE) {
            return date;
        }
        String base = date + String.format(" %02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        if (type.base() == ColumnType.Base.DATETIME || type.scale() == 0) {
            return base;
        }
        String nanos = String.format("%09d", t.getNano());
        return base + "." + (type.scale() <= 9 ? nanos.substring(0, type.scale()) : nanos);
    }

    /** No quote, backslash or control character: the bytes need no escaping (they are valid UTF-8 already). */
    /** A JSON string of raw bytes: quotes, backslashes and control bytes escaped, every other byte as it is. */
    private static void writeBytes(byte[] b, int off, int len, ByteSink out) {
        out.write('"');
        int plain = off;
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (c == '"' || c == '\\' || c < 0x20) {
                out.write(b, plain, i - plain);
                out.writeUtf8(c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.format("\\u%04x", c));
                plain = i + 1;
            }
        }
        out.write(b, plain, off + len - plain);
        out.write('"');
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
