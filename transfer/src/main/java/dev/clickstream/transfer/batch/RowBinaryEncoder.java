package dev.clickstream.transfer.batch;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.ColumnType;
import dev.clickstream.transfer.schema.TableLayout;

/**
 * RowBinary: each value in its binary form, little-endian, columns in the layout's order, each in the type the
 * table has it (values are fitted to it first, see {@link dev.clickstream.transfer.parse.ValueFit}); Nullable
 * values carry a null byte first. ClickHouse reads it without parsing text, and so does 18.16.
 */
final class RowBinaryEncoder implements RowEncoder {
    private final ColumnType[] types;

    RowBinaryEncoder(TableLayout layout) {
        this.types = new ColumnType[layout.columns().size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = layout.tableType(i);
        }
    }

    @Override
    public InsertFormat format() {
        return InsertFormat.ROW_BINARY;
    }

    @Override
    public void encode(Row row, ByteSink out) {
        for (int i = 0; i < types.length; i++) {
            ColumnType t = types[i];
            boolean present = row.isPresent(i);
            if (t.nullable()) {
                out.write(present ? 0 : 1);
                if (!present) {
                    continue;
                }
            }
            writeValue(t, i, row, present, out);
        }
    }

    /** A missing value of a column that is not Nullable is written as the type's default, as ClickHouse does. */
    private static void writeValue(ColumnType t, int i, Row row, boolean present, ByteSink out) {
        switch (t.base()) {
            case INT8, UINT8, BOOL -> out.write(present ? (int) row.getLong(i) : 0);
            case INT16, UINT16 -> out.writeShortLE(present ? (int) row.getLong(i) : 0);
            case INT32, UINT32 -> out.writeIntLE(present ? (int) row.getLong(i) : 0);
            case INT64, UINT64 -> out.writeLongLE(present ? row.getLong(i) : 0L);
            case FLOAT32 -> out.writeIntLE(Float.floatToRawIntBits(present ? (float) row.getDouble(i) : 0f));
            case FLOAT64 -> out.writeLongLE(Double.doubleToRawLongBits(present ? row.getDouble(i) : 0d));
            case STRING -> {
                if (!present) {
                    out.writeVarint(0);
                } else if (row.hasChars(i)) {
                    out.writeRowBinaryChars(row.arena(), row.charStart(i), row.charLength(i));
                } else if (row.getBytes(i) != null) {
                    out.writeVarint(row.bytesLength(i));
                    out.write(row.getBytes(i), row.bytesOffset(i), row.bytesLength(i));
                } else {
                    out.writeRowBinaryString(row.getString(i));
                }
            }
            case DATE -> out.writeShortLE(present ? (int) Math.floorDiv(row.getLong(i), 86_400_000_000L) : 0);
            case DATETIME -> out.writeIntLE(present ? (int) Math.floorDiv(row.getLong(i), 1_000_000L) : 0);
            case DATETIME64 -> out.writeLongLE(present ? TimeTicks.of(row.getLong(i), t.scale()) : 0L);
            default -> throw new IllegalStateException("cannot write type " + t);
        }
    }
}
