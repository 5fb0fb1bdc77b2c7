package dev.clickstream.producer.encode;

import dev.clickstream.common.bytes.ByteSink;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

/**
 * RFC 3339 timestamps in UTC with microseconds ({@code 2026-11-25T10:15:30.123456Z}), the {@code user_ts}
 * format. Events arrive in time order, so the date is formatted once per day and the time of day once
 * per second; everything else is digit arithmetic.
 */
public final class Timestamps {
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private long cachedDay = Long.MIN_VALUE;
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] prefix = new byte[20]; // yyyy-MM-ddTHH:mm:ss.

    public void write(long epochMicros, ByteSink out) {
        long second = Math.floorDiv(epochMicros, 1_000_000L);
        if (second != cachedSecond) {
            fillPrefix(epochMicros);
            cachedSecond = second;
        }
        out.write(prefix);
        out.writeFixedDigits((int) Math.floorMod(epochMicros, 1_000_000L), 6);
        out.write((byte) 'Z');
    }

    public static String format(long epochMicros) {
        ByteSink buf = new ByteSink(27);
        new Timestamps().write(epochMicros, buf);
        return buf.toString();
    }

    private void fillPrefix(long epochMicros) {
        long day = Math.floorDiv(epochMicros, MICROS_PER_DAY);
        if (day != cachedDay) {
            LocalDate date = LocalDate.ofEpochDay(day);
            if (date.getYear() < 0 || date.getYear() > 9999) {
                throw new IllegalArgumentException("timestamp outside the years 0000-9999: " + epochMicros + " us");
            }
            String text = String.format("%04d-%02d-%02dT", date.getYear(), date.getMonthValue(), date.getDayOfMonth());
            System.arraycopy(text.getBytes(StandardCharsets.US_ASCII), 0, prefix, 0, 11);
            cachedDay = day;
        }
        int secondOfDay = (int) (Math.floorMod(epochMicros, MICROS_PER_DAY) / 1_000_000L);
        twoDigits(secondOfDay / 3600, 11);
        prefix[13] = ':';
        twoDigits(secondOfDay / 60 % 60, 14);
        prefix[16] = ':';
        twoDigits(secondOfDay % 60, 17);
        prefix[19] = '.';
    }

    private void twoDigits(int value, int at) {
        prefix[at] = (byte) ('0' + value / 10);
        prefix[at + 1] = (byte) ('0' + value % 10);
    }
}
