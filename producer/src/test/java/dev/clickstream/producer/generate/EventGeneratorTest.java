package dev.clickstream.producer.generate;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.producer.encode.Timestamps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventGeneratorTest {
    private static final long START = 1_735_689_600_000_000L; // 2025-01-01T00:00:00Z
    private static final int EVENTS = 100_000;

    private static List<ClickEvent> generate(long seed, int n) {
        EventGenerator g = new EventGenerator(EventGenerator.Settings.of(seed, START));
        List<ClickEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(g.next());
        }
        return events;
    }

    @Test
    void the_same_seed_should_give_the_same_events_and_another_seed_others() {
        assertEquals(generate(42, 5_000), generate(42, 5_000));
        assertNotEquals(generate(42, 100), generate(43, 100));
    }

    @Test
    void a_users_session_should_be_in_order_with_session_seq_counting_up_from_1() {
        Map<String, ClickEvent> lastOfSession = new HashMap<>();
        String previousTs = "";
        for (ClickEvent e : generate(7, EVENTS)) {
            assertTrue(e.userTs().compareTo(previousTs) >= 0, "event time goes backwards at " + e);
            previousTs = e.userTs();
            ClickEvent last = lastOfSession.put(e.sessionId(), e);
            if (last == null) {
                assertEquals(1, e.sessionSeq(), e::toString);
            } else {
                assertEquals(last.sessionSeq() + 1, e.sessionSeq(), e::toString);
                assertEquals(last.userId(), e.userId(), "a session belongs to one user");
                assertEquals(last.userAgent(), e.userAgent(), "a user keeps their browser");
                assertEquals(last.country(), e.country());
                assertTrue(last.userTs().compareTo(e.userTs()) <= 0);
            }
        }
        assertTrue(lastOfSession.size() > 1_000, "many sessions: " + lastOfSession.size());
    }

    @Test
    void the_funnel_should_narrow_from_page_views_to_purchases() {
        Map<String, Integer> counts = new HashMap<>();
        for (ClickEvent e : generate(11, EVENTS)) {
            counts.merge(e.eventType(), 1, Integer::sum);
        }
        int views = counts.get("page_view");
        int clicks = counts.get("click");
        int searches = counts.get("search");
        int carts = counts.get("add_to_cart");
        int checkouts = counts.get("checkout");
        int purchases = counts.get("purchase");
        assertTrue(views > clicks && clicks > carts && searches > carts, counts::toString);
        assertTrue(carts > checkouts && checkouts > purchases && purchases > 0, counts::toString);
    }

    @Test
    void checkouts_should_follow_an_add_to_cart_and_purchases_a_checkout_in_the_same_session() {
        Map<String, EnumMap<EventType, Integer>> seen = new HashMap<>();
        for (ClickEvent e : generate(13, EVENTS)) {
            EnumMap<EventType, Integer> session = seen.computeIfAbsent(e.sessionId(), k -> new EnumMap<>(EventType.class));
            EventType type = EventType.valueOf(e.eventType().toUpperCase(java.util.Locale.ROOT));
            if (type == EventType.CHECKOUT) {
                assertTrue(session.getOrDefault(EventType.ADD_TO_CART, 0) > 0, "checkout with an empty cart: " + e);
            }
            if (type == EventType.PURCHASE) {
                assertTrue(session.getOrDefault(EventType.CHECKOUT, 0) > 0, "purchase without checkout: " + e);
            }
            session.merge(type, 1, Integer::sum);
        }
    }

    @Test
    void prices_should_be_on_cart_checkout_and_purchase_events_only() {
        for (ClickEvent e : generate(17, 50_000)) {
            boolean priced = Set.of("add_to_cart", "checkout", "purchase").contains(e.eventType());
            if (priced) {
                assertNotNull(e.price(), e::toString);
                assertTrue(e.price() > 0 && Math.abs(e.price() * 100 - Math.round(e.price() * 100)) < 1e-6, e::toString);
            } else {
                assertNull(e.price(), e::toString);
            }
            if (e.eventType().equals("add_to_cart")) {
                assertNotNull(e.productId(), e::toString);
            }
            if (e.page().equals("product")) {
                assertNotNull(e.productId(), e::toString);
                assertEquals("https://shop.example.com/p/" + e.productId(), e.url());
            }
        }
    }

    @Test
    void ids_should_be_unique_and_use_the_whole_unsigned_range() {
        Set<Long> ids = new HashSet<>();
        Set<String> eventIds = new HashSet<>();
        int aboveSigned = 0;
        for (ClickEvent e : generate(19, 50_000)) {
            assertTrue(ids.add(e.id()), "duplicate id");
            assertTrue(eventIds.add(e.eventId()), "duplicate event_id");
            assertTrue(e.eventId().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
                    e::eventId);
            aboveSigned += e.id() < 0 ? 1 : 0; // above 2^63 - 1 when read as unsigned
        }
        assertTrue(aboveSigned > 10_000 && aboveSigned < 40_000, "ids above 2^63: " + aboveSigned);
    }

    @Test
    void events_should_look_like_real_traffic() {
        Set<String> devices = new HashSet<>();
        Set<String> countries = new HashSet<>();
        Set<String> referrers = new HashSet<>();
        Set<String> users = new HashSet<>();
        for (ClickEvent e : generate(23, 20_000)) {
            devices.add(e.device());
            countries.add(e.country());
            users.add(e.userId());
            if (e.sessionSeq() == 1) {
                referrers.add(e.referrer());
            } else {
                assertTrue(e.referrer().startsWith("https://shop.example.com/") || e.referrer().isEmpty()
                        || e.eventType().equals("click") || !e.referrer().contains("shop.example.com"), e::toString);
            }
            assertTrue(e.userTs().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z"), e::userTs);
            assertEquals(e.eventType() + " " + e.url().substring("https://shop.example.com".length()), e.message());
            assertTrue(e.durationMs() >= 100, e::toString);
        }
        assertEquals(Set.of("desktop", "mobile", "tablet"), devices);
        assertTrue(countries.size() > 15 && referrers.contains("") && referrers.contains("https://www.google.com/"),
                countries + " " + referrers);
        assertTrue(users.size() > 1_000, "users: " + users.size());
    }

    @Test
    void event_time_should_start_at_the_start_time_and_advance_with_the_traffic() {
        EventGenerator g = new EventGenerator(EventGenerator.Settings.of(3, START).withEventsPerSecond(1000));
        ClickEvent first = g.next();
        ClickEvent last = first;
        for (int i = 0; i < 100_000; i++) {
            last = g.next();
        }
        assertTrue(first.userTs().startsWith("2025-01-01T00:00:0"), first::userTs);
        // 100k events at 1000 events/s of traffic span about 100 s of event time.
        String expected = Timestamps.format(START + 100_000_000L);
        assertEquals(expected.substring(0, 15), last.userTs().substring(0, 15), last::userTs);
        assertFalse(last.userTs().compareTo(Timestamps.format(START + 90_000_000L)) < 0, last::userTs);
    }

    @Test
    void a_live_stream_is_stamped_with_the_clock_and_never_runs_ahead_of_it() {
        EventGenerator g = new EventGenerator(EventGenerator.Settings.of(3, START).withEventsPerSecond(25)
                .withWallClock(true));
        String before = Timestamps.format(java.time.Instant.now().toEpochMilli() * 1000L);
        String previous = "";
        for (int i = 0; i < 10_000; i++) {
            String ts = g.next().userTs();
            assertTrue(ts.compareTo(previous) >= 0, "user_ts went back: " + previous + " -> " + ts);
            previous = ts;
        }
        String after = Timestamps.format((java.time.Instant.now().toEpochMilli() + 1) * 1000L);
        assertTrue(previous.compareTo(before) >= 0 && previous.compareTo(after) <= 0,
                before + " <= " + previous + " <= " + after);
    }
}
