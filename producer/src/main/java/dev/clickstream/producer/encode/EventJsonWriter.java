package dev.clickstream.producer.encode;

import dev.clickstream.common.bytes.ByteSink;
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

    public void write(EventDraft e, ByteSink out) {
        write(e, out, false);
    }

    /** With {@code idNotANumber} the id is the string {@code "not-a-number"}: valid JSON of the wrong type. */
    void write(EventDraft e, ByteSink out, boolean idNotANumber) {
        out.write(USER_TS);
        timestamps.write(e.userTsMicros(), out);
        out.write(ID);
        if (idNotANumber) {
            out.write(NOT_A_NUMBER);
        } else {
            out.writeUnsigned(e.id());
        }
        out.write(MESSAGE);
        out.write(e.type().jsonName().json());
        out.write((byte) ' ');
        out.write(e.path().json());
        out.write(EVENT_ID);
        uuid(e.eventIdHigh(), e.eventIdLow(), out);
        out.write(EVENT_TYPE);
        out.write(e.type().jsonName().json());
        out.write(USER_ID);
        UserProfile user = e.user();
        out.writeDecimal(user.index());
        out.write(SESSION_ID);
        out.writeHex(e.sessionId(), 16);
        out.write(SESSION_SEQ);
        out.writeDecimal(e.sessionSeq());
        out.write(PAGE);
        out.write(e.page().jsonName().json());
        out.write(URL);
        out.write(e.path().json());
        out.write(REFERRER);
        if (e.referrerPath() != null) {
            out.write(HOST);
            out.write(e.referrerPath().json());
        } else {
            out.write(e.externalReferrer().json());
        }
        out.write(DEVICE);
        out.write(user.device().json());
        out.write(BROWSER);
        out.write(user.browser().json());
        out.write(OS);
        out.write(user.os().json());
        out.write(USER_AGENT);
        out.write(user.userAgent().json());
        out.write(COUNTRY);
        out.write(user.country().json());
        if (e.productId() != null) {
            out.write(PRODUCT_ID);
            out.write(e.productId().json());
        }
        if (e.priceCents() >= 0) {
            out.write(PRICE);
            // Rare (cart, checkout, purchase) and must match Jackson's double formatting exactly.
            out.writeAscii(Double.toString(e.priceCents() / 100.0));
            out.write(DURATION_AFTER_NUMBER);
        } else {
            out.write(DURATION_AFTER_STRING);
        }
        out.writeDecimal(e.durationMs());
        out.write((byte) '}');
    }

    private static void uuid(long high, long low, ByteSink out) {
        out.writeHex(high >>> 32, 8);
        out.write((byte) '-');
        out.writeHex(high >>> 16, 4);
        out.write((byte) '-');
        out.writeHex(high, 4);
        out.write((byte) '-');
        out.writeHex(low >>> 48, 4);
        out.write((byte) '-');
        out.writeHex(low, 12);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
