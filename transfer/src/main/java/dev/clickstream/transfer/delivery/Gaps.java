package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.RowKey;

import java.util.HashSet;
import java.util.Set;

/** Counting what a retention gap took: the messages of the removed offsets that never reached ClickHouse. */
final class Gaps {
    /** How many messages a gap took, and the first of them ({@code to} when none). */
    record Lost(long messages, long firstOffset) {
    }

    private Gaps() {
    }

    /** The offsets in {@code [from, to)} with no line among {@code stored}: removed from Kafka before delivery. */
    static Lost undelivered(long from, long to, Set<RowKey> stored) {
        Set<Long> delivered = new HashSet<>();
        for (RowKey k : stored) {
            if (k.offset() >= from && k.offset() < to) {
                delivered.add(k.offset());
            }
        }
        long first = from;
        while (first < to && delivered.contains(first)) {
            first++;
        }
        return new Lost(Math.max(0, to - from - delivered.size()), first);
    }
}
