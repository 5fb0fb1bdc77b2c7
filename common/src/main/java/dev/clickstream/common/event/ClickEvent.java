package dev.clickstream.common.event;

/**
 * One click event, the record every tool agrees on. A superset of the original demo's
 * {@code {user_ts, id, message}}, so the demo's SQL keeps working; the rest is what clickstream
 * analytics need. JSON names are the snake_case of the component names.
 *
 * @param userTs     RFC 3339 timestamp in UTC with microseconds, e.g. {@code 2026-11-25T10:15:30.123456Z}
 * @param id         unsigned 64-bit event number (use {@link Long#toUnsignedString(long)} to print it)
 * @param message    human-readable summary, as in the demo
 * @param eventType  page_view, click, search, add_to_cart, checkout, purchase
 * @param sessionSeq position of the event in its session, from 1
 * @param productId  set for product events, else null
 * @param price      set for add_to_cart, checkout and purchase, else null
 */
public record ClickEvent(
        String userTs,
        long id,
        String message,
        String eventId,
        String eventType,
        String userId,
        String sessionId,
        int sessionSeq,
        String page,
        String url,
        String referrer,
        String device,
        String browser,
        String os,
        String userAgent,
        String country,
        String productId,
        Double price,
        long durationMs) {
}
