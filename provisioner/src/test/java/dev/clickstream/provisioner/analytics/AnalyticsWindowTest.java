package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.provisioner.CliRun;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyticsWindowTest {
    private static AnalyticsWindow since(Duration d) {
        return new AnalyticsWindow(d, null, 10);
    }

    @Test
    void buckets_are_minutes_up_to_an_hour_then_widen_to_keep_60_rows_at_most() {
        assertEquals(60, since(Duration.ofMinutes(5)).bucketSeconds());
        assertEquals(60, since(Duration.ofHours(1)).bucketSeconds());
        assertEquals(120, since(Duration.ofMinutes(61)).bucketSeconds());
        assertEquals(1800, since(Duration.ofDays(1)).bucketSeconds());
        assertEquals(43200, since(Duration.ofDays(30)).bucketSeconds());
        assertEquals(86400, since(Duration.ofDays(60)).bucketSeconds());
        assertEquals(2 * 86400, since(Duration.ofDays(90)).bucketSeconds());
    }

    @Test
    void the_window_is_written_back_as_people_write_it() {
        assertEquals("1h", since(Duration.ofHours(1)).sinceText());
        assertEquals("90m", since(Duration.ofMinutes(90)).sinceText());
        assertEquals("2d", since(Duration.ofDays(2)).sinceText());
    }

    @Test
    void until_is_cut_to_whole_seconds_and_stays_open_without_one() {
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"),
                new AnalyticsWindow(Duration.ofHours(1), Instant.parse("2026-11-25T10:00:00.900Z"), 10).until());
        assertNull(AnalyticsWindow.lastHour().until());
    }

    @Test
    void a_window_under_a_minute_or_a_limit_under_one_is_a_usage_error() {
        assertEquals(2, assertThrows(UserFacingException.class, () -> since(Duration.ofSeconds(30))).exitCode());
        assertEquals(2, assertThrows(UserFacingException.class,
                () -> new AnalyticsWindow(Duration.ofHours(1), null, 0)).exitCode());
    }

    @Test
    void a_bad_until_or_since_flag_exits_2_with_the_reason() {
        CliRun until = CliRun.of("analytics", "--until", "yesterday");
        assertEquals(2, until.exitCode(), until::toString);
        assertTrue(until.err().contains("'yesterday' is not a time such as 2026-11-25T12:00:00Z"), until::toString);
        CliRun since = CliRun.of("analytics", "--since", "10s");
        assertEquals(2, since.exitCode(), since::toString);
        assertTrue(since.err().startsWith("error: --since: the window must be at least 1m"), since::toString);
    }
}
