package dev.clickstream.testsupport;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Simple, fully predictable events for delivery tests: event {@code n} has id {@code 2^63 + n} (so a
 * lost top bit shows), a user_ts one second apart, and every field filled in.
 */
public final class TestEvents {
    public static final long ID_BASE = Long.MIN_VALUE; // 2^63 as an unsigned value
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final DateTimeFormatter RFC3339_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final String[] TYPES = {"page_view", "click", "add_to_cart", "purchase"};

    private TestEvents() {
    }

    public static ClickEvent event(int n) {
        String type = TYPES[n % TYPES.length];
        boolean product = !type.equals("page_view");
        return new ClickEvent(userTs(n), ID_BASE + n, type + " /p/" + (n % 7), "event-" + n, type,
                "user-" + (n % 10), "session-" + (n % 20), 1 + n / 20, "/p/" + (n % 7),
                "https://shop.example/p/" + (n % 7), n % 3 == 0 ? "" : "https://www.google.com/", "desktop", "Firefox",
                "Linux", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "DE",
                product ? "product-" + (n % 5) : null, product ? 10.5 + n % 5 : null, 100L + n);
    }

    /** user_ts of event n: START + n seconds, RFC 3339 with microseconds. */
    public static String userTs(int n) {
        return RFC3339_MICROS.format(START.plusSeconds(n).plusNanos(123_456_000L));
    }

    public static String unsignedId(int n) {
        return Long.toUnsignedString(ID_BASE + n);
    }

    /** Events {@code from..to-1} as JSON lines, one per element. */
    public static List<String> jsonLines(int from, int to) {
        List<String> lines = new ArrayList<>(to - from);
        for (int n = from; n < to; n++) {
            lines.add(ClickEventJson.toJson(event(n)));
        }
        return lines;
    }
}
