package dev.clickstream.transfer;

import dev.clickstream.transfer.sink.RowKey;

import java.util.HashSet;
import java.util.Set;

/** Counting what a retention gap took: the messages of the removed offsets that never reached ClickHouse. */
final class Gaps {
    private Gaps() {
    }

    /** Offsets in {@code [from, to)} with no line among {@code stored}: removed from Kafka before delivery. */
    static long undelivered(long from, long to, Set<RowKey> stored) {
        return Math.max(0, to - from - delivered(from, to, stored).size());
    }

    /** The first offset in {@code [from, to)} with no line among {@code stored}, or {@code to}. */
    static long firstUndelivered(long from, long to, Set<RowKey> stored) {
        Set<Long> delivered = delivered(from, to, stored);
        long o = from;
        while (o < to && delivered.contains(o)) {
            o++;
        }
        return o;
    }

    private static Set<Long> delivered(long from, long to, Set<RowKey> stored) {
        Set<Long> delivered = new HashSet<>();
        for (RowKey k : stored) {
            if (k.offset() >= from && k.offset() < to) {
                delivered.add(k.offset());
            }
        }
        return delivered;
    }
}
