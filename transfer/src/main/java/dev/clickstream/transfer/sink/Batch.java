package dev.clickstream.transfer.sink;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one write to ClickHouse holds: whole Kafka messages (never part of one), their parsed lines for
 * the target table, their failed lines for the unparsed table, and the offset range per partition.
 */
public final class Batch {
    /** The offsets of the messages a batch holds from one partition. */
    public record Range(long first, long last) {
    }

    private EncodedRows target;
    private EncodedRows unparsed;
    private final Map<Integer, Range> ranges = new TreeMap<>();
    private final long startedNanos = System.nanoTime();
    private int messages;
    private long inputBytes;
    private long oldestTimestampMs = Long.MAX_VALUE;

    public Batch(RowEncoder targetEncoder, RowEncoder unparsedEncoder, int initialBytes) {
        this.target = new EncodedRows(targetEncoder, initialBytes);
        this.unparsed = new EncodedRows(unparsedEncoder, 1024);
    }

    /** Records a message, even one without lines, so its offset counts as delivered. */
    public void addMessage(int partition, long offset, int valueBytes, long timestampMs) {
        ranges.merge(partition, new Range(offset, offset), (a, b) -> new Range(Math.min(a.first(), offset),
                Math.max(a.last(), offset)));
        messages++;
        inputBytes += valueBytes;
        oldestTimestampMs = Math.min(oldestTimestampMs, timestampMs);
    }

    public EncodedRows target() {
        return target;
    }

    public EncodedRows unparsed() {
        return unparsed;
    }

    public Map<Integer, Range> ranges() {
        return Collections.unmodifiableMap(ranges);
    }

    public Set<Integer> partitions() {
        return ranges.keySet();
    }

    public boolean isEmpty() {
        return messages == 0;
    }

    public int messages() {
        return messages;
    }

    public int rows() {
        return target.count() + unparsed.count();
    }

    public long encodedBytes() {
        return target.bytes() + unparsed.bytes();
    }

    public long inputBytes() {
        return inputBytes;
    }

    public long ageNanos() {
        return System.nanoTime() - startedNanos;
    }

    public long oldestTimestampMs() {
        return oldestTimestampMs;
    }

    /** Takes back rows added after the given counts (a message whose parse must be redone). */
    public void truncate(int targetRows, int unparsedRows) {
        target.truncate(targetRows);
        unparsed.truncate(unparsedRows);
    }

    /** Leaves out a revoked partition: its messages are read again by the partition's next owner. */
    public void dropPartition(int partition) {
        if (ranges.remove(partition) != null) {
            target = target.withoutPartition(partition);
            unparsed = unparsed.withoutPartition(partition);
        }
    }

    /** Leaves out rows already in ClickHouse (a retry after a failure that may have written some). */
    public void dropPresent(Set<RowKey> present) {
        target = target.without(present);
        unparsed = unparsed.without(present);
    }
}
