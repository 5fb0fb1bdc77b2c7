package dev.clickstream.transfer.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Turns the ways events write time into microseconds since the epoch (UTC): RFC 3339 with a zone,
 * ISO 8601 without one (read as UTC), {@code YYYY-MM-DD HH:MM:SS}, and epoch numbers in seconds or
 * milliseconds, as numbers or as strings. The common shapes are parsed by hand: java.time's formatters cost more
 * than the rest of the line's parsing.
 */
public final class DateTimes {
    /** Epoch numbers at or above this are milliseconds (1973-03-03 in ms; year 5138 in seconds). */
    public static final long MILLIS_THRESHOLD = 100_000_000_000L;
    /** DateTime64's range: 1900-01-01 to 2299-12-31; DateTime's: 1970 to 2106. */
    public static final long MIN_DATETIME64_MICROS = -2_208_988_800_000_000L;
    public static final long MAX_DATETIME64_MICROS = 10_413_791_999_999_999L;
    public static final long MAX_DATETIME_MICROS = 0xFFFF_FFFFL * 1_000_000L;
    /** An epoch number as JSON writes it, inside a string. */
    private static final java.util.regex.Pattern EPOCH_TEXT = JsonLineParser.JSON_NUMBER;

    private DateTimes() {
    }

    /** The same, from a slice of chars (the parser's buffer): the common shapes allocate nothing. */
    public static long parseMicros(char[] c, int off, int len) {
        long fast = fastPath(java.nio.CharBuffer.wrap(c, off, len));
        return fast != Long.MIN_VALUE ? fast : parseMicros(new String(c, off, len).trim());
    }

    /** Microseconds since the epoch, or {@link Long#MIN_VALUE} when the text is not a date and time. */
    public static long parseMicros(String s) {
        long fast = fastPath(s);
        if (fast != Long.MIN_VALUE) {
            return fast;
        }
        if (EPOCH_TEXT.matcher(s).matches()) {
            // "1332151919": an epoch number written as a string reads as the number would
            return s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0 && s.length() <= 18
                    ? epochNumberToMicros(Long.parseLong(s)) : epochNumberToMicros(Double.parseDouble(s));
        }
        try {
            Instant i = OffsetDateTime.parse(s).toInstant();
            return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
        } catch (DateTimeParseException e) {
            try {
                Instant i = LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
                return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
            } catch (DateTimeParseException e2) {
                return Long.MIN_VALUE;
            }
        }
    }

    /** An epoch number: seconds, or milliseconds when at or above {@link #MILLIS_THRESHOLD}; MIN_VALUE past a long. */
    public static long epochNumberToMicros(double value) {
        double abs = Math.abs(value);
        double micros = abs >= MILLIS_THRESHOLD ? value * 1000d : value * 1_000_000d;
        // 1e400 is infinity, and Math.round would make it Long.MAX_VALUE: neither is a time
        return Double.isFinite(micros) && Math.abs(micros) < 0x1p63 ? Math.round(micros) : Long.MIN_VALUE;
    }

    /** MIN_VALUE (not a time) when the microseconds do not fit a long: a wrapped product could look valid. */
    public static long epochNumberToMicros(long value) {
        try {
            return Math.multiplyExact(value, Math.abs(value) >= MILLIS_THRESHOLD ? 1000L : 1_000_000L);
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /**
     * YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+HH:MM|+HHMM|+HH] (a comma before the fraction too, and PostgreSQL's
     * hour-only offset, as its text output writes them); anything else: MIN_VALUE.
     */
    static long fastPath(CharSequence s) {
        int n = s.length();
        if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' '
                && s.charAt(10) != 't') || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
                || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
            return Long.MIN_VALUE;
        }
        int i = 19;
        long micros = 0;
        if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
            i++;
            int start = i;
            long fraction = 0;
            while (i < n && Character.isDigit(s.charAt(i))) {
                if (i - start < 6) {
                    fraction = fraction * 10 + (s.charAt(i) - '0');
                }
                i++;
            }
            if (i == start) {
                return Long.MIN_VALUE;
            }
            for (int k = Math.min(i - start, 6); k < 6; k++) {
                fraction *= 10;
            }
            micros = fraction;
        }
        int offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                i++;
            } else if (z == '+' || z == '-') {
                int oh;
                int om;
                if (n - i == 6 && s.charAt(i + 3) == ':') {
                    oh = digits(s, i + 1, 2);
                    om = digits(s, i + 4, 2);
                } else if (n - i == 5) {
                    oh = digits(s, i + 1, 2);
                    om = digits(s, i + 3, 2);
                } else if (n - i == 3) {
                    oh = digits(s, i + 1, 2);
                    om = 0;
                } else {
                    return Long.MIN_VALUE;
                }
                if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                    return Long.MIN_VALUE;
                }
                offsetSeconds = (z == '+' ? 1 : -1) * (oh * 3600 + om * 60);
                i = n;
            } else {
                return Long.MIN_VALUE;
            }
        }
        if (i != n) {
            return Long.MIN_VALUE;
        }
        long days = daysFromCivil(year, month, day);
        long seconds = days * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000_000L + micros;
    }

    private static int digits(CharSequence s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
