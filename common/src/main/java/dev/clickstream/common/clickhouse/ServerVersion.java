package dev.clickstream.common.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ClickHouse server version, for choosing DDL the server understands. 18.16 (Debian's package) lacks
 * DateTime64, Map, the Kafka engine's virtual columns and error modes; modern releases have them.
 */
public record ServerVersion(int major, int minor, String text) implements Comparable<ServerVersion> {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");

    public static ServerVersion parse(String text) {
        Matcher m = VERSION.matcher(text == null ? "" : text);
        if (!m.find()) {
            throw new IllegalArgumentException("not a ClickHouse version: '" + text + "'");
        }
        return new ServerVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), text.trim());
    }

    public boolean atLeast(int wantedMajor, int wantedMinor) {
        return major > wantedMajor || (major == wantedMajor && minor >= wantedMinor);
    }

    /** DateTime64 arrived in 20.1. */
    public boolean hasDateTime64() {
        return atLeast(20, 1);
    }

    /** LowCardinality without the experimental flag: 19.9 and later. */
    public boolean hasLowCardinality() {
        return atLeast(19, 9);
    }

    /** Kafka engine _topic/_partition/_offset/_timestamp virtual columns: all present from 21.6. */
    public boolean hasKafkaVirtualColumns() {
        return atLeast(21, 6);
    }

    /** kafka_handle_error_mode = 'stream' and its _error/_raw_message columns: 21.6 and later. */
    /** Asynchronous inserts (and the async_insert setting) arrived in 21.11. */
    public boolean hasAsyncInsert() {
        return atLeast(21, 11);
    }

    public boolean hasKafkaErrorStream() {
        return atLeast(21, 6);
    }

    @Override
    public int compareTo(ServerVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return text;
    }
}
