package dev.clickstream.transfer.parse;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DateTimesTest {
    private static long micros(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    @Test
    void reads_rfc3339_with_any_zone_and_fraction() {
        assertEquals(micros("2026-11-25T10:15:30.123456Z"), DateTimes.parseMicros("2026-11-25T10:15:30.123456Z"));
        assertEquals(micros("2026-11-25T08:15:30.100Z"), DateTimes.parseMicros("2026-11-25T10:15:30.1+02:00"));
        assertEquals(micros("2026-11-25T15:45:30Z"), DateTimes.parseMicros("2026-11-25T10:15:30-0530"));
        assertEquals(micros("2026-11-25T10:15:30.123456Z"), DateTimes.parseMicros("2026-11-25T10:15:30.123456789Z"));
    }

    @Test
    void reads_times_without_a_zone_as_utc() {
        assertEquals(micros("2026-11-25T10:15:30Z"), DateTimes.parseMicros("2026-11-25T10:15:30"));
        assertEquals(micros("2026-11-25T10:15:30Z"), DateTimes.parseMicros("2026-11-25 10:15:30"));
        assertEquals(micros("2024-02-29T23:59:59Z"), DateTimes.parseMicros("2024-02-29T23:59:59"));
        assertEquals(micros("1969-12-31T23:59:59Z"), DateTimes.parseMicros("1969-12-31T23:59:59Z"));
    }

    @Test
    void tells_epoch_seconds_from_milliseconds() {
        assertEquals(1_764_065_730_000_000L, DateTimes.epochNumberToMicros(1_764_065_730L));
        assertEquals(1_764_065_730_123_000L, DateTimes.epochNumberToMicros(1_764_065_730_123L));
        assertEquals(1_764_065_730_500_000L, DateTimes.epochNumberToMicros(1_764_065_730.5));
    }

    @Test
    void an_epoch_number_too_large_for_microseconds_is_not_a_time() {
        // 2^62 ms times 1000 wraps around to a plausible-looking negative number without the overflow check
        assertEquals(Long.MIN_VALUE, DateTimes.epochNumberToMicros(1L << 62));
        assertEquals(Long.MIN_VALUE, DateTimes.epochNumberToMicros(-(1L << 62)));
    }

    @Test
    void refuses_what_is_not_a_date_and_time() {
        for (String bad : new String[] {"yesterday", "2026-02-30T00:00:00Z", "2026-11-25T24:00:00Z",
                "2026-11-25T10:15:30+2", "2026-13-01 00:00:00", ""}) {
            assertEquals(Long.MIN_VALUE, DateTimes.parseMicros(bad), bad);
        }
    }

    @Test
    void reads_epoch_strings_hour_offsets_and_a_comma_before_the_fraction() {
        assertEquals(micros("2012-03-19T10:11:59Z"), DateTimes.parseMicros("1332151919"));
        assertEquals(micros("2012-03-19T10:11:59.123Z"), DateTimes.parseMicros("1332151919123"));
        assertEquals(micros("2012-03-19T10:11:59.5Z"), DateTimes.parseMicros("1332151919.5"));
        assertEquals(micros("2020-08-10T06:46:22.330498Z"), DateTimes.parseMicros("2020-08-10 09:46:22.330498+03"));
        assertEquals(micros("2020-08-10T12:46:22Z"), DateTimes.parseMicros("2020-08-10 09:46:22-03"));
        assertEquals(micros("2020-08-10T09:46:22.330498Z"), DateTimes.parseMicros("2020-08-10 09:46:22,330498"));
    }

    @Test
    void an_epoch_double_past_a_long_of_microseconds_is_not_a_time() {
        assertEquals(Long.MIN_VALUE, DateTimes.epochNumberToMicros(Double.POSITIVE_INFINITY), "1e400");
        assertEquals(Long.MIN_VALUE, DateTimes.epochNumberToMicros(-1e300));
        assertEquals(Long.MIN_VALUE, DateTimes.parseMicros("1e400"));
    }
}
