package dev.clickstream.producer.generate;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A string the generator emits often, kept with its JSON-escaped UTF-8 bytes so writing it costs a copy,
 * not an encoding. The escaping is Jackson's, so the bytes match what {@code ClickEventJson} writes.
 */
public record JsonText(String text, byte[] json) {

    public static JsonText of(String text) {
        return new JsonText(text, JsonStringEncoder.getInstance().quoteAsUTF8(text));
    }

    @Override
    public String toString() {
        return text;
    }
}
