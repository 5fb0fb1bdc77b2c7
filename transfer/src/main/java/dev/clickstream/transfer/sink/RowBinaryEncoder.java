package dev.clickstream.transfer.sink;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;

import java.util.List;

/**
 * RowBinary: each value in its binary form, little-endian, columns in the layout's order; Nullable
 * values carry a null byte first. ClickHouse reads it without parsing text, and so does 18.16.
 */
final class RowBinaryEncoder implements RowEncoder {
    private final List<Column> columns;
    private final boolean micros;

    RowBinaryEncoder(TableLayout layout) {
        this.columns = layout.columns();
        this.micros = layout.hasMicroseconds();
    }

    @Override
    public InsertFormat format() {
        return InsertFormat.ROW_BINARY;
    }

    @Override
    public void encode(Row row, ByteSink out) {
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            boolean present = row.isPresent(i);
            if (c.nullable()) {
                out.write(present ? 0 : 1);
                if (!present) {
                    continue;
                }
            }
            writeValue(c, i, row, present, out);
        }
    }

    private void writeValue(Column c, int i, Row row, boolean present, ByteSink out) {
        FieldType type = c.type();
        switch (type) {
            case INT8, UINT8, BOOLEAN -> out.write(present ? (int) row.getLong(i) : 0);
            case INT16, UINT16 -> out.writeShortLE(present ? (int) row.getLong(i) : 0);
            case INT32, UINT32 -> out.writeIntLE(present ? (int) row.getLong(i) : 0);
            case INT64, UINT64 -> out.writeLongLE(present ? row.getLong(i) : 0L);
            case DOUBLE -> out.writeLongLE(Double.doubleToRawLongBits(present ? row.getDouble(i) : 0d));
            case STRING, UTF8, ANY -> {
                if (!present) {
                    out.writeVarint(0);
                } else if (row.hasChars(i)) {
                    out.writeRowBinaryChars(row.arena(), row.charStart(i), row.charLength(i));
                } else if (row.getBytes(i) != null) {
                    byte[] b = row.getBytes(i);
                    out.writeVarint(b.length);
                    out.write(b);
                } else {
                    out.writeRowBinaryString(row.getString(i));
                }
            }
            case DATETIME -> {
                long v = present ? row.getLong(i) : 0L;
                if (!micros) {
                    out.writeIntLE((int) Math.floorDiv(v, 1_000_000L));
                } else if (c.kind() == ColumnKind.TIMESTAMP) {
                    out.writeLongLE(Math.floorDiv(v, 1000L));
                } else {
                    out.writeLongLE(v);
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }
}
