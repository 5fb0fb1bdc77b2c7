package dev.clickstream.transfer.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The parser schema's field types, named as in the Terraform transfer endpoints. */
public enum FieldType {
    INT8(true, false, Byte.MIN_VALUE, Byte.MAX_VALUE),
    INT16(true, false, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(true, false, Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64(true, false, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT8(true, true, 0, 0xFFL),
    UINT16(true, true, 0, 0xFFFFL),
    UINT32(true, true, 0, 0xFFFF_FFFFL),
    UINT64(true, true, 0, -1L),
    DOUBLE(false, false, 0, 0),
    BOOLEAN(false, false, 0, 0),
    STRING(false, false, 0, 0),
    UTF8(false, false, 0, 0),
    ANY(false, false, 0, 0),
    DATETIME(false, false, 0, 0);

    private final boolean integer;
    private final boolean unsigned;
    private final long min;
    private final long max;

    FieldType(boolean integer, boolean unsigned, long min, long max) {
        this.integer = integer;
        this.unsigned = unsigned;
        this.min = min;
        this.max = max;
    }

    public boolean isInteger() {
        return integer;
    }

    public boolean isUnsigned() {
        return unsigned;
    }

    /** Smallest value (signed types) — unsigned types start at 0. */
    public long min() {
        return min;
    }

    /** Largest value; for UINT64 this is -1, i.e. 2^64-1 read as unsigned. */
    public long max() {
        return max;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<FieldType> fromConfig(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(t -> t.configName().equals(name.toLowerCase(Locale.ROOT))).findFirst();
    }

    public static String known() {
        return Arrays.stream(values()).map(FieldType::configName).collect(Collectors.joining(", "));
    }
}
