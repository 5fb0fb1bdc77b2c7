package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.config.FieldType;

/**
 * The fast path's numbers, read from a JSON number's bytes into a row; -1 whenever the full parser must read it,
 * so both always give the same value.
 */
final class JsonNumbers {
    private static final long MAX_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final int MAX_MOD_10 = (int) Long.remainderUnsigned(-1L, 10);
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    private JsonNumbers() {
    }

    /** An integer in JSON's form (no fraction, no exponent, no leading zero), in the range of its type. */
    static int integer(byte[] b, int i, int end, int column, FieldType type, Row row) {
        boolean negative = b[i] == '-';
        int start = negative ? i + 1 : i;
        int k = start;
        long magnitude = 0; // unsigned: ids above 2^63 are common
        while (k < end && b[k] >= '0' && b[k] <= '9') {
            int digit = b[k] - '0';
            if (k - start >= 18 && (Long.compareUnsigned(magnitude, MAX_DIV_10) > 0
                    || (magnitude == MAX_DIV_10 && digit > MAX_MOD_10))) {
                return -1; // past 2^64 - 1
            }
            magnitude = magnitude * 10 + digit;
            k++;
        }
        int digits = k - start;
        if (digits == 0 || (b[start] == '0' && digits > 1)) {
            return -1;
        }
        if (k < end && (b[k] == '.' || b[k] == 'e' || b[k] == 'E')) {
            return -1;
        }
        long v;
        if (type == FieldType.UINT64) {
            if (negative && magnitude != 0) {
                return -1;
            }
            v = magnitude;
        } else if (negative) {
            if (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0 || -magnitude < type.min()) {
                return -1;
            }
            v = -magnitude;
        } else {
            if (magnitude < 0 || magnitude > type.max()) {
                return -1;
            }
            v = magnitude;
        }
        row.setLong(column, v);
        return k;
    }

    /**
     * A number whose value a double holds exactly by one multiplication or division: at most 15 significant digits
     * and a power of ten up to 22 (the classic fast path, correctly rounded, so the same double the full parser
     * makes). Anything else goes to the full parser.
     */
    static int decimal(byte[] b, int i, int end, int column, Row row) {
        boolean negative = b[i] == '-';
        int k = negative ? i + 1 : i;
        int intStart = k;
        long mantissa = 0;
        int digits = 0;
        while (k < end && b[k] >= '0' && b[k] <= '9') {
            mantissa = mantissa * 10 + (b[k] - '0');
            digits++;
            k++;
        }
        if (k == intStart || (b[intStart] == '0' && k - intStart > 1)) {
            return -1;
        }
        int scale = 0;
        if (k < end && b[k] == '.') {
            k++;
            int fracStart = k;
            while (k < end && b[k] >= '0' && b[k] <= '9') {
                mantissa = mantissa * 10 + (b[k] - '0');
                digits++;
                scale++;
                k++;
            }
            if (k == fracStart) {
                return -1;
            }
        }
        if (k < end && (b[k] == 'e' || b[k] == 'E')) {
            return -1;
        }
        if (digits > 15 || scale > 22) {
            return -1;
        }
        double d = scale == 0 ? (double) mantissa : (double) mantissa / POWERS_OF_TEN[scale];
        row.setDouble(column, negative ? -d : d);
        return k;
    }
}
