package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.event.ClickEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A small shop's traffic, every event fixed by the start instant: 31 sessions of 12 users, 70 s apart, each
 * event 10 s after the previous one (so no two events share a second). All land on the home page; two in three
 * go on to a product page and click; half of those add to the cart, and of those with {@code i % 4 == 2} buy.
 * Session 30 buys before it adds to the cart, which an ordered funnel must not count as a purchase. One event
 * lies two hours before {@link #end()} and one exactly at it: outside a one-hour window that ends there.
 */
public final class ShopTraffic {
    public static final String SHOP = "https://shop.example.com";
    static final int SESSIONS = 30;
    private static final String[] DEVICES = {"desktop", "mobile", "tablet"};
    private static final String[] COUNTRIES = {"US", "DE", "GB", "FR"};
    private static final String[] REFERRERS = {"https://www.google.com/", "", "https://www.facebook.com/",
            "https://news.example.org/best-deals"};
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Instant start;
    private final List<ClickEvent> events = new ArrayList<>();
    private long nextId = 1;

    private ShopTraffic(Instant start) {
        this.start = start;
        for (int i = 0; i < SESSIONS; i++) {
            session(i);
        }
        outOfOrderSession();
        add(end().minus(Duration.ofHours(2)), "page_view", 40, "s-old", 1, "/", "", null, null);
        add(end(), "page_view", 41, "s-late", 1, "/", "", null, null);
    }

    /** The traffic starting at {@code start} (a whole minute keeps the per-minute buckets easy to read). */
    public static ShopTraffic startingAt(Instant start) {
        return new ShopTraffic(start);
    }

    /** The end of the window the fixture is made for: 2200 s after the start. */
    public Instant end() {
        return start.plusSeconds(2200);
    }

    public List<ClickEvent> events() {
        return List.copyOf(events);
    }

    private void session(int i) {
        String session = String.format("s-%02d", i);
        Instant t = start.plusSeconds(70L * i);
        String product = "sku-" + (i % 4 + 1);
        int seq = 0;
        add(t, "page_view", i, session, ++seq, "/", REFERRERS[i % 4], null, null);
        if (i % 3 == 0) {
            return;
        }
        add(t = t.plusSeconds(10), "page_view", i, session, ++seq, "/p/" + product, SHOP + "/", product, null);
        add(t = t.plusSeconds(10), "click", i, session, ++seq, "/p/" + product, SHOP + "/", product, null);
        if (i % 2 != 0) {
            return;
        }
        add(t = t.plusSeconds(10), "add_to_cart", i, session, ++seq, "/p/" + product, SHOP + "/", product, 19.99);
        if (i % 4 == 2) {
            add(t.plusSeconds(10), "purchase", i, session, ++seq, "/checkout/complete", SHOP + "/checkout", null,
                    19.99);
        }
    }

    private void outOfOrderSession() {
        Instant t = start.plusSeconds(70L * SESSIONS);
        add(t, "page_view", SESSIONS, "s-30", 1, "/", "", null, null);
        add(t.plusSeconds(10), "purchase", SESSIONS, "s-30", 2, "/checkout/complete", SHOP + "/", null, 5.0);
        add(t.plusSeconds(20), "add_to_cart", SESSIONS, "s-30", 3, "/p/sku-1", SHOP + "/checkout/complete", "sku-1",
                5.0);
    }

    private void add(Instant at, String type, int sessionIndex, String session, int seq, String path, String referrer,
                     String product, Double price) {
        int user = sessionIndex % 12;
        long id = nextId++;
        events.add(new ClickEvent(RFC3339.format(at), id, type + " " + path, "event-" + id, type, "user-" + user,
                session, seq, path.equals("/") ? "home" : path.startsWith("/p/") ? "product" : "order_confirmation",
                SHOP + path, referrer, DEVICES[user % 3], "Firefox", "Linux",
                "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", COUNTRIES[user % 4],
                product, price, 10_000));
    }
}
