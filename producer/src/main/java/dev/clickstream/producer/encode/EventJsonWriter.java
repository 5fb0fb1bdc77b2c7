package dev.clickstream.producer.encode;

import dev.clickstream.producer.generate.Catalog;
import dev.clickstream.producer.generate.EventDraft;
import dev.clickstream.producer.generate.UserProfile;

import java.nio.charset.StandardCharsets;

/**
 * Writes an {@link EventDraft} as one line of JSON, byte for byte what {@code ClickEventJson} writes for
 * the same event (a unit test holds the two together), without building strings: the producer writes
 * hundreds of thousands of events a second and the formatting must not be what limits it.
 */
public final class EventJsonWriter {
    private static final byte[] USER_TS = ascii("{\"user_ts\":\"");
    private static final byte[] ID = ascii("\",\"id\":");
    private static final byte[] MESSAGE = ascii(",\"message\":\"");
    private static final byte[] EVENT_ID = ascii("\",\"event_id\":\"");
    private static final byte[] EVENT_TYPE = ascii("\",\"event_type\":\"");
    private static final byte[] USER_ID = ascii("\",\"user_id\":\"u-");
    private static final byte[] SESSION_ID = ascii("\",\"session_id\":\"");
    private static final byte[] SESSION_SEQ = ascii("\",\"session_seq\":");
    private static final byte[] PAGE = ascii(",\"page\":\"");
    private static final byte[] URL = ascii("\",\"url\":\"" + Catalog.HOST);
    private static final byte[] REFERRER = ascii("\",\"referrer\":\"");
    private static final byte[] HOST = ascii(Catalog.HOST);
    private static final byte[] DEVICE = ascii("\",\"device\":\"");
    private static final byte[] BROWSER = ascii("\",\"browser\":\"");
    private static final byte[] OS = ascii("\",\"os\":\"");
    private static final byte[] USER_AGENT = ascii("\",\"user_agent\":\"");
    private static final byte[] COUNTRY = ascii("\",\"country\":\"");
    private static final byte[] PRODUCT_ID = ascii("\",\"product_id\":\"");
    private static final byte[] PRICE = ascii("\",\"price\":");
    private static final byte[] DURATION_AFTER_STRING = ascii("\",\"duration_ms\":");
    private static final byte[] DURATION_AFTER_NUMBER = ascii(",\"duration_ms\":");
    /** What a "wrong type" malformed line has instead of the id's number. */
    static final byte[] NOT_A_NUMBER = ascii("\"not-a-number\"");

    private final Timestamps timestamps = new Timestamps();

    public void write(EventDraft e, ByteBuf out) {
        write(e, out, false);
    }

    /** With {@code idNotANumber} the id is the string {@code "not-a-number"}: valid JSON of the wrong type. */
    void write(EventDraft e, ByteBuf out, boolean idNotANumber) {
        out.put(USER_TS);
        timestamps.write(e.userTsMicros(), out);
        out.put(ID);
        if (idNotANumber) {
            out.put(NOT_A_NUMBER);
        } else {
            out.putUnsigned(e.id());
        }
        out.put(MESSAGE);
        out.put(e.type().jsonName().json());
        out.put((byte) ' ');
        out.put(e.path().json());
        out.put(EVENT_ID);
        uuid(e.eventIdHigh(), e.eventIdLow(), out);
        out.put(EVENT_TYPE);
        out.put(e.type().jsonName().json());
        out.put(USER_ID);
        UserProfile user = e.user();
        out.putDecimal(user.index());
        out.put(SESSION_ID);
        out.putHex(e.sessionId(), 16);
        out.put(SESSION_SEQ);
        out.putDecimal(e.sessionSeq());
        out.put(PAGE);
        out.put(e.page().jsonName().json());
        out.put(URL);
        out.put(e.path().json());
        out.put(REFERRER);
        if (e.referrerPath() != null) {
            out.put(HOST);
            out.put(e.referrerPath().json());
        } else {
            out.put(e.externalReferrer().json());
        }
        out.put(DEVICE);
        out.put(user.device().json());
        out.put(BROWSER);
        out.put(user.browser().json());
        out.put(OS);
        out.put(user.os().json());
        out.put(USER_AGENT);
        out.put(user.userAgent().json());
        out.put(COUNTRY);
        out.put(user.country().json());
        if (e.productId() != null) {
            out.put(PRODUCT_ID);
            out.put(e.productId().json());
        }
        if (e.priceCents() >= 0) {
            out.put(PRICE);
            // Rare (cart, checkout, purchase) and must match Jackson's double formatting exactly.
            out.putAscii(Double.toString(e.priceCents() / 100.0));
            out.put(DURATION_AFTER_NUMBER);
        } else {
            out.put(DURATION_AFTER_STRING);
        }
        out.putDecimal(e.durationMs());
        out.put((byte) '}');
    }

    private static void uuid(long high, long low, ByteBuf out) {
        out.putHex(high >>> 32, 8);
        out.put((byte) '-');
        out.putHex(high >>> 16, 4);
        out.put((byte) '-');
        out.putHex(high, 4);
        out.put((byte) '-');
        out.putHex(low >>> 48, 4);
        out.put((byte) '-');
        out.putHex(low, 12);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
