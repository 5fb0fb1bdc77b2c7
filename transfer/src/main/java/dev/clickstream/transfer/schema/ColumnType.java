package dev.clickstream.transfer.schema;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column's type as the server states it in {@code system.columns}, reduced to what the encoders need: the base
 * type, whether it is Nullable, and a DateTime64's scale. LowCardinality changes nothing on the wire (RowBinary and
 * JSONEachRow carry the inner type), so it is only kept for display.
 */
public record ColumnType(String text, Base base, boolean nullable, int scale) {

    /** The types the transfer writes; {@link #OTHER} is any it cannot (Decimal, Array, Enum, UUID, ...). */
    public enum Base {
        INT8(1, -0x80L, 0x7FL), INT16(2, -0x8000L, 0x7FFFL), INT32(4, Integer.MIN_VALUE, Integer.MAX_VALUE),
        INT64(8, Long.MIN_VALUE, Long.MAX_VALUE),
        UINT8(1, 0, 0xFFL), UINT16(2, 0, 0xFFFFL), UINT32(4, 0, 0xFFFF_FFFFL), UINT64(8, 0, -1L),
        BOOL(1, 0, 1), FLOAT32(4, 0, 0), FLOAT64(8, 0, 0), STRING(0, 0, 0),
        DATE(2, 0, 0), DATETIME(4, 0, 0), DATETIME64(8, 0, 0), OTHER(0, 0, 0);

        private final int bytes;
        private final long min;
        private final long max;

        Base(int bytes, long min, long max) {
            this.bytes = bytes;
            this.min = min;
            this.max = max;
        }

        /** Width on the wire of an integer, boolean or time. */
        public int bytes() {
            return bytes;
        }

        public boolean isInteger() {
            return ordinal() <= UINT64.ordinal();
        }

        public boolean isUnsigned() {
            return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64;
        }

        /** True when a signed 64-bit value fits; UInt64 values above 2^63 arrive as negative longs from UInt64 fields. */
        public boolean holds(long value, boolean valueIsUnsigned64) {
            if (this == UINT64) {
                return valueIsUnsigned64 || value >= 0;
            }
            if (valueIsUnsigned64 && value < 0) {
                return false; // above Long.MAX_VALUE: only UInt64 holds it
            }
            return value >= min && value <= max;
        }

        public boolean isTime() {
            return this == DATE || this == DATETIME || this == DATETIME64;
        }
    }

    private static final Pattern WRAPPED = Pattern.compile("^(Nullable|LowCardinality)\\((.*)\\)$");
    private static final Pattern DATETIME64 = Pattern.compile("^DateTime64\\((\\d+)(?:\\s*,\\s*'[^']*')?\\)$");
    private static final Pattern DATETIME = Pattern.compile("^DateTime(?:\\('[^']*'\\))?$");

    public static ColumnType parse(String text) {
        String t = text.trim();
        boolean nullable = false;
        for (Matcher m = WRAPPED.matcher(t); m.matches(); m = WRAPPED.matcher(t)) {
            nullable |= m.group(1).equals("Nullable");
            t = m.group(2);
        }
        Matcher dt64 = DATETIME64.matcher(t);
        if (dt64.matches()) {
            int scale = Integer.parseInt(dt64.group(1));
            return new ColumnType(text, scale <= 9 ? Base.DATETIME64 : Base.OTHER, nullable, scale);
        }
        if (DATETIME.matcher(t).matches()) {
            return new ColumnType(text, Base.DATETIME, nullable, 0);
        }
        Base base = switch (t) {
            case "Int8" -> Base.INT8;
            case "Int16" -> Base.INT16;
            case "Int32" -> Base.INT32;
            case "Int64" -> Base.INT64;
            case "UInt8" -> Base.UINT8;
            case "UInt16" -> Base.UINT16;
            case "UInt32" -> Base.UINT32;
            case "UInt64" -> Base.UINT64;
            case "Bool" -> Base.BOOL;
            case "Float32" -> Base.FLOAT32;
            case "Float64" -> Base.FLOAT64;
            case "String" -> Base.STRING;
            case "Date" -> Base.DATE;
            default -> Base.OTHER;
        };
        return new ColumnType(text, base, nullable, 0);
    }

    public boolean writable() {
        return base != Base.OTHER;
    }

    /** Ticks per second of a DateTime64: 10^scale. */
    public long ticksPerSecond() {
        long t = 1;
        for (int i = 0; i < scale; i++) {
            t *= 10;
        }
        return t;
    }

    @Override
    public String toString() {
        return text;
    }
}
