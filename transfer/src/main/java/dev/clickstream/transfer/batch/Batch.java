package dev.clickstream.transfer.batch;

import dev.clickstream.common.clickhouse.SealedBody;

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

    private final EncodedRows[] target;
    private final EncodedRows[] unparsed;
    /** First and last offset per partition, as a growable array: a TreeMap update per message showed in profiles. */
    private long[] first = new long[16];
    private long[] last = new long[16];
    private final java.util.BitSet present = new java.util.BitSet();
    private long startedNanos = System.nanoTime();
    private int messages;
    private long inputBytes;
    private long oldestTimestampMs = Long.MAX_VALUE;

    /** What the bodies of this batch's INSERTs ask before each read; set by the write that sends them. */
    private volatile SealedBody.Guard guard = SealedBody.Guard.NONE;

    /** @param shards how many threads fill the batch at once, each into buffers of its own */
    public Batch(RowEncoder targetEncoder, RowEncoder unparsedEncoder, int shards, int initialBytes) {
        this.target = new EncodedRows[shards];
        this.unparsed = new EncodedRows[shards];
        for (int i = 0; i < shards; i++) {
            target[i] = new EncodedRows(targetEncoder, initialBytes);
            unparsed[i] = new EncodedRows(unparsedEncoder, 1024);
        }
    }

    private Batch(EncodedRows[] target, EncodedRows[] unparsed) {
        this.target = target;
        this.unparsed = unparsed;
    }

    /**
     * The messages of the partitions {@code keep} accepts, as a batch of its own: one shard's share on a sharded
     * cluster. This batch itself when it holds no other partition; without {@code withRows}, only the ranges (what
     * the offset log needs), so logging a share copies no rows.
     */
    public Batch part(java.util.function.IntPredicate keep, boolean withRows) {
        if (present.stream().allMatch(keep)) {
            return this;
        }
        Batch part;
        if (withRows) {
            part = new Batch(target.clone(), unparsed.clone());
            for (int i = 0; i < part.target.length; i++) {
                part.target[i] = target[i].withPartitions(keep);
                part.unparsed[i] = unparsed[i].withPartitions(keep);
            }
        } else {
            part = new Batch(targetEncoder(), unparsedEncoder(), 1, 64);
        }
        part.first = first.clone();
        part.last = last.clone();
        present.stream().filter(keep).forEach(part.present::set);
        part.startedNanos = startedNanos;
        part.oldestTimestampMs = oldestTimestampMs;
        part.guard = guard;
        return part;
    }

    /** Empties the batch for reuse; its buffers keep their size, so a steady stream allocates no new ones. */
    public void reset() {
        guard = SealedBody.Guard.NONE;
        for (int i = 0; i < target.length; i++) {
            target[i].truncate(0);
            unparsed[i].truncate(0);
        }
        present.clear();
        startedNanos = System.nanoTime();
        messages = 0;
        inputBytes = 0;
        oldestTimestampMs = Long.MAX_VALUE;
    }

    /** True when the batch writes target rows with this encoder (a schema change makes a new one). */
    public boolean encodesWith(RowEncoder encoder) {
        return target[0].encoder() == encoder;
    }

    /** Records a message, even one without lines, so its offset counts as delivered. */
    public void addMessage(int partition, long offset, int valueBytes, long timestampMs) {
        if (partition >= first.length) {
            int n = Math.max(partition + 1, first.length * 2);
            first = java.util.Arrays.copyOf(first, n);
            last = java.util.Arrays.copyOf(last, n);
        }
        if (present.get(partition)) {
            first[partition] = Math.min(first[partition], offset);
            last[partition] = Math.max(last[partition], offset);
        } else {
            present.set(partition);
            first[partition] = offset;
            last[partition] = offset;
        }
        messages++;
        inputBytes += valueBytes;
        oldestTimestampMs = Math.min(oldestTimestampMs, timestampMs);
    }

    /**
     * Logs the partition's range as starting at {@code offset}: a batch re-reading a recovered partition must
     * keep the whole uncertain window in the log until the window is written, or a second crash could
     * leave the unwritten lines of its start outside the newest logged ranges.
     */
    public void extendFirst(int partition, long offset) {
        if (present.get(partition)) {
            first[partition] = Math.min(first[partition], offset);
        }
    }

    /** How many threads fill the batch, each into rows of its own. */
    public int shards() {
        return target.length;
    }

    public EncodedRows target(int shard) {
        return target[shard];
    }

    public EncodedRows unparsed(int shard) {
        return unparsed[shard];
    }

    public int targetRows() {
        int n = 0;
        for (EncodedRows r : target) {
            n += r.count();
        }
        return n;
    }

    public int unparsedRows() {
        int n = 0;
        for (EncodedRows r : unparsed) {
            n += r.count();
        }
        return n;
    }

    /** The target rows of every shard, one after the other: one INSERT's body, asking the guard as it is sent. */
    public SealedBody targetData() {
        return sealed(target);
    }

    public SealedBody unparsedData() {
        return sealed(unparsed);
    }

    /** What the bodies of this batch's INSERTs ask before each read: set by the write that sends them. */
    public void guard(SealedBody.Guard bodyGuard) {
        this.guard = bodyGuard == null ? SealedBody.Guard.NONE : bodyGuard;
    }

    /** The rows stay in the encoders' buffers: the batch is not changed until its write has returned. */
    private SealedBody sealed(EncodedRows[] shards) {
        SealedBody.Builder body = SealedBody.builder(firstBlock(shards));
        for (EncodedRows r : shards) {
            r.data().addTo(body);
        }
        return body.seal().guardedBy(guard);
    }

    /**
     * Where a large body's first block ends: one byte into the first row past what the server reads before it
     * registers the INSERT (every row is more than a byte). 0, one block, when no row starts there.
     */
    private static int firstBlock(EncodedRows[] shards) {
        int before = 0;
        for (EncodedRows r : shards) {
            int start = r.firstRowStartingFrom(SealedBody.REGISTERED_AFTER + 1 - before);
            if (start >= 0) {
                return before + start + 1;
            }
            before += r.bytes();
        }
        return 0;
    }

    public RowEncoder targetEncoder() {
        return target[0].encoder();
    }

    public RowEncoder unparsedEncoder() {
        return unparsed[0].encoder();
    }

    /** Row counts per shard, for {@link #truncate(int[], int[])}. */
    public int[] targetMarks() {
        int[] marks = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            marks[i] = target[i].count();
        }
        return marks;
    }

    public int[] unparsedMarks() {
        int[] marks = new int[unparsed.length];
        for (int i = 0; i < unparsed.length; i++) {
            marks[i] = unparsed[i].count();
        }
        return marks;
    }

    public Map<Integer, Range> ranges() {
        Map<Integer, Range> ranges = new TreeMap<>();
        present.stream().forEach(p -> ranges.put(p, new Range(first[p], last[p])));
        return ranges;
    }

    /** True when no partition has a message in the batch (none yet, or all revoked). */
    public boolean isEmpty() {
        return present.isEmpty();
    }

    public int messages() {
        return messages;
    }

    public int rows() {
        return targetRows() + unparsedRows();
    }

    /** Values left out because their column is gone from the table (no _rest column to keep them). */
    public long droppedValues() {
        long n = 0;
        for (EncodedRows r : target) {
            n += r.droppedValues();
        }
        return n;
    }

    public long encodedBytes() {
        long n = 0;
        for (int i = 0; i < target.length; i++) {
            n += target[i].bytes() + unparsed[i].bytes();
        }
        return n;
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

    /** Takes back rows added after the given counts per shard (messages whose parse must be redone). */
    public void truncate(int[] targetMarks, int[] unparsedMarks) {
        for (int i = 0; i < target.length; i++) {
            target[i].truncate(targetMarks[i]);
            unparsed[i].truncate(unparsedMarks[i]);
        }
    }

    /** Leaves out a revoked partition: its messages are read again by the partition's next owner. */
    public void dropPartition(int partition) {
        if (present.get(partition)) {
            present.clear(partition);
            for (int i = 0; i < target.length; i++) {
                target[i] = target[i].withoutPartition(partition);
                unparsed[i] = unparsed[i].withoutPartition(partition);
            }
        }
    }

    /** Leaves out rows already in ClickHouse (a retry after a failure that may have written some). */
    public void dropPresent(Set<RowKey> present) {
        for (int i = 0; i < target.length; i++) {
            target[i] = target[i].without(present);
            unparsed[i] = unparsed[i].without(present);
        }
    }
}
