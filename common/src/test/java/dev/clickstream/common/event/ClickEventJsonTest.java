package dev.clickstream.common.event;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClickEventJsonTest {
    static ClickEvent sample(long id, String productId, Double price) {
        return new ClickEvent("2026-11-25T10:15:30.123456Z", id, "page_view /home", "e-1", "page_view", "u-1", "s-1",
                1, "/home", "https://shop.example/home", "https://www.google.com/", "mobile", "Firefox", "Android",
                "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0", "DE", productId, price, 1200);
    }

    @Test
    void should_write_the_id_as_an_unsigned_64_bit_number_and_read_it_back() {
        ClickEvent e = sample(-1L, "p-42", 19.99);
        String json = ClickEventJson.toJson(e);
        assertTrue(json.contains("\"id\":18446744073709551615"), json);
        assertTrue(json.startsWith("{\"user_ts\":\"2026-11-25T10:15:30.123456Z\""), json);
        assertEquals(e, ClickEventJson.parse(json));
    }

    @Test
    void should_leave_out_product_fields_of_events_without_a_product() {
        String json = ClickEventJson.toJson(sample(7, null, null));
        assertTrue(!json.contains("product_id") && !json.contains("price"), json);
        assertEquals(sample(7, null, null), ClickEventJson.parse(json));
    }

    @Test
    void should_reject_what_is_not_an_event() {
        assertThrows(IllegalArgumentException.class, () -> ClickEventJson.parse("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> ClickEventJson.parse("{\"id\":"));
    }
}
