package dev.clickstream.producer.generate;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.producer.encode.Timestamps;

/**
 * One generated event in the form that is cheapest to write: numbers stay numbers and strings point at
 * pre-encoded text. The generator fills the same instance again for every event; {@link #toClickEvent()}
 * turns it into the shared record.
 */
public final class EventDraft {
    long userTsMicros;
    long id;
    long eventIdHigh;
    long eventIdLow;
    EventType type;
    UserProfile user;
    long sessionId;
    int sessionSeq;
    Page page;
    JsonText path;
    /** The referrer when it is another site ("" for direct traffic); null when it is a page of the shop. */
    JsonText externalReferrer;
    /** The shop page the user came from; null when {@link #externalReferrer} applies. */
    JsonText referrerPath;
    JsonText productId;
    long priceCents;
    long durationMs;

    public long userTsMicros() {
        return userTsMicros;
    }

    public long id() {
        return id;
    }

    public long eventIdHigh() {
        return eventIdHigh;
    }

    public long eventIdLow() {
        return eventIdLow;
    }

    public EventType type() {
        return type;
    }

    public UserProfile user() {
        return user;
    }

    public long sessionId() {
        return sessionId;
    }

    public int sessionSeq() {
        return sessionSeq;
    }

    public Page page() {
        return page;
    }

    /** Path of the page within the shop, e.g. {@code /p/sku-00042}; the url is {@link Catalog#HOST} + path. */
    public JsonText path() {
        return path;
    }

    public JsonText externalReferrer() {
        return externalReferrer;
    }

    public JsonText referrerPath() {
        return referrerPath;
    }

    /** Null when the event is not about one product. */
    public JsonText productId() {
        return productId;
    }

    /** Negative when the event has no price. */
    public long priceCents() {
        return priceCents;
    }

    public long durationMs() {
        return durationMs;
    }

    public ClickEvent toClickEvent() {
        return new ClickEvent(
                Timestamps.format(userTsMicros),
                id,
                type.jsonName().text() + " " + path.text(),
                uuid(eventIdHigh, eventIdLow),
                type.jsonName().text(),
                user.userId(),
                hex16(sessionId),
                sessionSeq,
                page.jsonName().text(),
                Catalog.HOST + path.text(),
                referrerPath != null ? Catalog.HOST + referrerPath.text() : externalReferrer.text(),
                user.device().text(),
                user.browser().text(),
                user.os().text(),
                user.userAgent().text(),
                user.country().text(),
                productId == null ? null : productId.text(),
                priceCents < 0 ? null : priceCents / 100.0,
                durationMs);
    }

    static String uuid(long high, long low) {
        return new java.util.UUID(high, low).toString();
    }

    static String hex16(long value) {
        String hex = Long.toHexString(value);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
