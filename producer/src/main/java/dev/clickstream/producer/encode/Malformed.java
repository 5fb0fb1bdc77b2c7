package dev.clickstream.producer.encode;

/**
 * The deliberately broken lines {@code --malformed-ratio} puts in place of events, for testing that
 * delivery keeps going and keeps what it cannot parse. Each replaces one generated event (which is then
 * not sent), so the valid events stay the same stream whatever the ratio.
 */
public enum Malformed {
    /** The first half of the event's JSON line: never valid JSON. */
    TRUNCATED,
    /** Plain text, {@code not json <id>}, where id is the replaced event's id. */
    NOT_JSON,
    /** Valid JSON with every field of the event, but {@code "id":"not-a-number"}: the wrong type. */
    WRONG_TYPE
}
