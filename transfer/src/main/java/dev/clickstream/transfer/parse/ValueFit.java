package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnType;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.schema.ColumnType.Base;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits each parsed value to the type its column really has in the table, which a person may have changed since the
 * transfer created it: where ClickHouse would convert without loss (a wider integer, an integer to Float64, anything
 * to String, DateTime to DateTime64) the value is converted in the row; a value that does not fit makes the line
 * unparsed with a reason naming the column and both types. Never a wrong value in the target. A layout whose table
 * types are the ones the transfer would create converts nothing.
 */
public final class ValueFit {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    /** Date: 1970 to 2149 (DateTime's and DateTime64's ranges are {@link DateTimes}'). */
    private static final long MAX_DATE_MICROS = 0xFFFFL * MICROS_PER_DAY + MICROS_PER_DAY - 1;

    /** One column's conversion; returns why the value does not fit, or null after converting it in the row. */
    private interface Step {
        String apply(Row row, int column);
    }

    private final int[] columns;
    private final Step[] steps;

    public ValueFit(TableLayout layout) {
        List<Integer> at = new ArrayList<>();
        List<Step> todo = new ArrayList<>();
        for (int i = 0; i < layout.columns().size(); i++) {
            Column c = layout.columns().get(i);
            // The type the transfer creates takes the parsed value as it is: the parser checked it for this server.
            Step s = layout.tableType(i).text().equals(layout.clickhouseType(c)) ? null : step(c, layout.tableType(i));
            if (s != null) {
                at.add(i);
                todo.add(s);
            }
        }
        this.columns = at.stream().mapToInt(Integer::intValue).toArray();
        this.steps = todo.toArray(new Step[0]);
    }

    /** True when every column's table type is the one its field writes as it is. */
    public boolean isIdentity() {
        return steps.length == 0;
    }

    /** Converts the row's values in place; returns the reason the line cannot be written, or null. */
    public String apply(Row row) {
        for (int k = 0; k < steps.length; k++) {
            int i = columns[k];
            if (row.isPresent(i)) {
                String misfit = steps[k].apply(row, i);
                if (misfit != null) {
                    return misfit;
                }
            }
        }
        return null;
    }

    private static Step step(Column c, ColumnType t) {
        FieldType f = c.type();
        Base b = t.base();
        if (f.isInteger() || f == FieldType.BOOLEAN) {
            return fromInteger(c, t, f, b);
        }
        return switch (f) {
            case DOUBLE -> fromDouble(c, t, b);
            case STRING, UTF8, ANY -> b == Base.STRING ? null : (row, i) -> misfit(c, t, "a string");
            case DATETIME -> fromTime(c, t, b);
            default -> throw new IllegalStateException("unhandled field type " + f);
        };
    }

    private static Step fromInteger(Column c, ColumnType t, FieldType f, Base b) {
        boolean unsigned64 = f == FieldType.UINT64;
        if (b.isInteger() || b == Base.BOOL) {
            long min = f == FieldType.BOOLEAN ? 0 : f.min();
            long max = f == FieldType.BOOLEAN ? 1 : f.max();
            boolean holdsAll = b.holds(min, false) && b.holds(max, unsigned64) && (!unsigned64 || b == Base.UINT64);
            if (holdsAll) {
                return null;
            }
            return (row, i) -> b.holds(row.getLong(i), unsigned64) ? null
                    : misfit(c, t, "value " + integerText(row.getLong(i), unsigned64));
        }
        return switch (b) {
            case FLOAT32, FLOAT64 -> (row, i) -> {
                long v = row.getLong(i);
                row.setDouble(i, unsigned64 && v < 0 ? (double) (v >>> 1) * 2.0 + (v & 1) : (double) v);
                return null;
            };
            case STRING -> (row, i) -> {
                long v = row.getLong(i);
                row.setString(i, f == FieldType.BOOLEAN ? (v != 0 ? "true" : "false") : integerText(v, unsigned64));
                return null;
            };
            default -> (row, i) -> misfit(c, t, "value " + integerText(row.getLong(i), unsigned64));
        };
    }

    private static Step fromDouble(Column c, ColumnType t, Base b) {
        return switch (b) {
            case FLOAT64 -> null;
            case FLOAT32 -> (row, i) -> {
                double d = row.getDouble(i);
                return Double.isFinite(d) && Math.abs(d) > Float.MAX_VALUE ? misfit(c, t, "value " + d) : null;
            };
            case STRING -> (row, i) -> {
                row.setString(i, doubleText(row.getDouble(i)));
                return null;
            };
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, BOOL -> (row, i) -> {
                double d = row.getDouble(i);
                // Whole numbers below 2^63 only: the exact range of a long, and what any integer column could hold.
                if (d != Math.rint(d) || Math.abs(d) >= 0x1p63 || !b.holds((long) d, false)) {
                    return misfit(c, t, "value " + doubleText(d));
                }
                row.setLong(i, (long) d);
                return null;
            };
            default -> (row, i) -> misfit(c, t, "value " + doubleText(row.getDouble(i)));
        };
    }

    private static Step fromTime(Column c, ColumnType t, Base b) {
        return switch (b) {
            case DATETIME -> range(c, t, 0, DateTimes.MAX_DATETIME_MICROS);
            case DATE -> range(c, t, 0, MAX_DATE_MICROS);
            case DATETIME64 -> t.scale() > 6
                    // ticks of 10^-9 s overflow a long after 2262
                    ? range(c, t, DateTimes.MIN_DATETIME64_MICROS,
                            Math.min(DateTimes.MAX_DATETIME64_MICROS, Long.MAX_VALUE / 1000))
                    : range(c, t, DateTimes.MIN_DATETIME64_MICROS, DateTimes.MAX_DATETIME64_MICROS);
            case STRING -> (row, i) -> {
                row.setString(i, timeText(row.getLong(i)));
                return null;
            };
            default -> (row, i) -> misfit(c, t, "time " + timeText(row.getLong(i)));
        };
    }

    private static Step range(Column c, ColumnType t, long min, long max) {
        return (row, i) -> {
            long v = row.getLong(i);
            return v >= min && v <= max ? null : misfit(c, t, "time " + timeText(v));
        };
    }

    private static String misfit(Column c, ColumnType t, String what) {
        return "column " + c.name() + " is " + t.text() + " in the table: " + what + " of field " + c.name() + " ("
                + c.type().configName() + ") does not fit";
    }

    private static String integerText(long v, boolean unsigned64) {
        return unsigned64 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    static String doubleText(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    /** As ClickHouse's toString of a DateTime64(6): {@code 2026-12-02 10:15:00.123456}, fraction only when there is one. */
    static String timeText(long micros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        String base = String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
        return t.getNano() == 0 ? base : base + String.format(".%06d", t.getNano() / 1000);
    }
}
