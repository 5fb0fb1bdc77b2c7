package dev.clickstream.common.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Writes and reads {@link ClickEvent} as one line of JSON. Streaming rather than data binding:
 * the producer writes hundreds of thousands of events a second and the id is an unsigned 64-bit
 * number that data binding would print as a negative long.
 */
public final class ClickEventJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private ClickEventJson() {
    }

    public static byte[] toBytes(ClickEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(384);
        write(event, out);
        return out.toByteArray();
    }

    public static String toJson(ClickEvent event) {
        return new String(toBytes(event), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Writes the event as a single JSON object without a trailing newline. */
    public static void write(ClickEvent e, OutputStream out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeStringField("user_ts", e.userTs());
            g.writeFieldName("id");
            g.writeNumber(Long.toUnsignedString(e.id()));
            g.writeStringField("message", e.message());
            g.writeStringField("event_id", e.eventId());
            g.writeStringField("event_type", e.eventType());
            g.writeStringField("user_id", e.userId());
            g.writeStringField("session_id", e.sessionId());
            g.writeNumberField("session_seq", e.sessionSeq());
            g.writeStringField("page", e.page());
            g.writeStringField("url", e.url());
            g.writeStringField("referrer", e.referrer());
            g.writeStringField("device", e.device());
            g.writeStringField("browser", e.browser());
            g.writeStringField("os", e.os());
            g.writeStringField("user_agent", e.userAgent());
            g.writeStringField("country", e.country());
            if (e.productId() != null) {
                g.writeStringField("product_id", e.productId());
            }
            if (e.price() != null) {
                g.writeNumberField("price", e.price());
            }
            g.writeNumberField("duration_ms", e.durationMs());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Parses one JSON line written by {@link #write}; unknown fields are ignored. */
    public static ClickEvent parse(String json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(json));
            }
            String userTs = null, message = null, eventId = null, eventType = null, userId = null, sessionId = null;
            String page = null, url = null, referrer = null, device = null, browser = null, os = null;
            String userAgent = null, country = null, productId = null;
            long id = 0, durationMs = 0;
            int sessionSeq = 0;
            Double price = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "user_ts" -> userTs = p.getText();
                    case "id" -> id = Long.parseUnsignedLong(p.getText());
                    case "message" -> message = p.getText();
                    case "event_id" -> eventId = p.getText();
                    case "event_type" -> eventType = p.getText();
                    case "user_id" -> userId = p.getText();
                    case "session_id" -> sessionId = p.getText();
                    case "session_seq" -> sessionSeq = p.getIntValue();
                    case "page" -> page = p.getText();
                    case "url" -> url = p.getText();
                    case "referrer" -> referrer = p.getText();
                    case "device" -> device = p.getText();
                    case "browser" -> browser = p.getText();
                    case "os" -> os = p.getText();
                    case "user_agent" -> userAgent = p.getText();
                    case "country" -> country = p.getText();
                    case "product_id" -> productId = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "price" -> price = value == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
                    case "duration_ms" -> durationMs = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            return new ClickEvent(userTs, id, message, eventId, eventType, userId, sessionId, sessionSeq, page, url,
                    referrer, device, browser, os, userAgent, country, productId, price, durationMs);
        } catch (IOException ex) {
            throw new IllegalArgumentException("malformed event JSON: " + abbreviate(json), ex);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
