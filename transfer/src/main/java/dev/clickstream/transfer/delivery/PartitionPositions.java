package dev.clickstream.transfer.delivery;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where each partition this instance owns stands. A partition moves through three phases:
 * <pre>
 *   assigned ──▶ AWAITING_POSITION ──(offset log has a window)──▶ RECOVERING ──(past the window)──▶ DELIVERING
 *                       └───────────(no history: the group's position)──────────────────────────▶ DELIVERING
 *   revoked or lost, from any phase ──▶ gone (its undelivered messages belong to the next owner)
 * </pre>
 * While AWAITING_POSITION the partition is paused and none of its records may be read. While RECOVERING its
 * records inside the window skip the lines already stored. Owned by the loop's thread.
 */
final class PartitionPositions {
    enum Phase { AWAITING_POSITION, RECOVERING, DELIVERING }

    private final Map<Integer, Phase> phases = new TreeMap<>();
    private final Map<Integer, ParseShard.Recovery> windows = new HashMap<>();
    /** The next offset to deliver per positioned partition: what Kafka's committed copy follows. */
    private final Map<Integer, Long> next = new HashMap<>();

    void assigned(Set<Integer> partitions) {
        for (int p : partitions) {
            phases.put(p, Phase.AWAITING_POSITION);
            windows.remove(p);
            next.remove(p);
        }
    }

    void revoked(int partition) {
        phases.remove(partition);
        windows.remove(partition);
        next.remove(partition);
    }

    /** Partitions still to be positioned, in order. */
    Set<Integer> awaiting() {
        Set<Integer> s = new TreeSet<>();
        phases.forEach((p, phase) -> {
            if (phase == Phase.AWAITING_POSITION) {
                s.add(p);
            }
        });
        return s;
    }

    /** Resumes inside the window of the offset log's newest ranges, skipping what is already stored. */
    void recoverFrom(int partition, ParseShard.Recovery window) {
        requireOwned(partition);
        phases.put(partition, Phase.RECOVERING);
        windows.put(partition, window);
        next.put(partition, window.firstOffset());
    }

    /** Starts without history at the group's position. */
    void startAt(int partition, long position) {
        requireOwned(partition);
        phases.put(partition, Phase.DELIVERING);
        windows.remove(partition);
        next.put(partition, position);
    }

    /**
     * The recovery window a record falls in, or null; the first record past the window ends the partition's
     * recovery.
     */
    ParseShard.Recovery windowOf(int partition, long offset) {
        if (windows.isEmpty()) {
            return null; // the common case, asked for every record: no map lookup
        }
        ParseShard.Recovery w = windows.get(partition);
        if (w != null && offset > w.lastOffset()) {
            windows.remove(partition);
            phases.put(partition, Phase.DELIVERING);
            return null;
        }
        return w;
    }

    /** A batch with this partition's messages up to {@code nextOffset - 1} is stored. */
    void delivered(int partition, long nextOffset) {
        if (phases.containsKey(partition)) {
            next.put(partition, nextOffset);
        }
    }

    /** True while the partition is not yet delivering new messages (awaiting its position or recovering). */
    boolean positioning(int partition) {
        Phase p = phases.get(partition);
        return p != null && p != Phase.DELIVERING;
    }

    /** The next offset to deliver, or {@code orElse} before the partition is positioned. */
    long next(int partition, long orElse) {
        return next.getOrDefault(partition, orElse);
    }

    /** Next offsets of every positioned partition, for the final commit. */
    Map<Integer, Long> nextOffsets() {
        return Collections.unmodifiableMap(new HashMap<>(next));
    }

    private void requireOwned(int partition) {
        if (!phases.containsKey(partition)) {
            throw new IllegalStateException("partition " + partition + " is not assigned to this instance");
        }
    }
}
