package dev.clickstream.transfer.batch;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.transfer.parse.Row;

import java.util.Arrays;
import java.util.Set;

/**
 * The encoded rows of one table in a batch, with where each row starts and which line it came from,
 * so rows already in ClickHouse can be left out of a retry.
 */
public final class EncodedRows {
    private final RowEncoder encoder;
    private final ByteSink data;
    private int count;
    private int[] starts = new int[1024];
    private int[] partitions = new int[1024];
    private long[] offsets = new long[1024];
    private int[] lines = new int[1024];
    /** Values of fields whose column is gone from the table that each row left out (no _rest to keep them). */
    private int[] dropped = new int[1024];

    public EncodedRows(RowEncoder encoder, int initialBytes) {
        this.encoder = encoder;
        this.data = new ByteSink(initialBytes);
    }

    public void add(Row row, int partition, long offset, int line) {
        grow();
        starts[count] = data.size();
        partitions[count] = partition;
        offsets[count] = offset;
        lines[count] = line;
        dropped[count] = row.droppedValues();
        count++;
        encoder.encode(row, data);
    }

    private void grow() {
        if (count == starts.length) {
            int n = count * 2;
            starts = Arrays.copyOf(starts, n);
            partitions = Arrays.copyOf(partitions, n);
            offsets = Arrays.copyOf(offsets, n);
            lines = Arrays.copyOf(lines, n);
            dropped = Arrays.copyOf(dropped, n);
        }
    }

    /** How many values the rows left out because their column is gone from the table. */
    public long droppedValues() {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += dropped[i];
        }
        return n;
    }

    /** Forgets the rows from {@code keep} on (a message is taken back whole). */
    public void truncate(int keep) {
        if (keep < count) {
            data.truncate(starts[keep]);
            count = keep;
        }
    }

    public int count() {
        return count;
    }

    public int bytes() {
        return data.size();
    }

    public ByteSink data() {
        return data;
    }

    public RowEncoder encoder() {
        return encoder;
    }

    /** Where the first row that starts at byte {@code from} or later starts, or -1 when none does. */
    public int firstRowStartingFrom(int from) {
        int i = java.util.Arrays.binarySearch(starts, 0, count, Math.max(0, from));
        int at = i >= 0 ? i : -i - 1;
        return at < count ? starts[at] : -1;
    }

    public RowKey key(int i) {
        return new RowKey(partitions[i], offsets[i], lines[i]);
    }

    /** Drops the rows of one partition (it was revoked: its next owner reads them again). */
    public EncodedRows withoutPartition(int partition) {
        return filtered(i -> partitions[i] != partition);
    }

    /** Only the rows of the partitions kept (a shard's share of a batch), copied in one pass. */
    public EncodedRows withPartitions(java.util.function.IntPredicate keep) {
        return filtered(i -> keep.test(partitions[i]));
    }

    /** Drops the rows whose key is already in ClickHouse. */
    public EncodedRows without(Set<RowKey> present) {
        if (present.isEmpty()) {
            return this;
        }
        return filtered(i -> !present.contains(key(i)));
    }

    private interface Keep {
        boolean row(int i);
    }

    private EncodedRows filtered(Keep keep) {
        EncodedRows out = new EncodedRows(encoder, data.size());
        for (int i = 0; i < count; i++) {
            if (!keep.row(i)) {
                continue;
            }
            int end = i + 1 < count ? starts[i + 1] : data.size();
            out.grow();
            out.starts[out.count] = out.data.size();
            out.partitions[out.count] = partitions[i];
            out.offsets[out.count] = offsets[i];
            out.lines[out.count] = lines[i];
            out.dropped[out.count] = dropped[i];
            out.count++;
            out.data.copyFrom(data, starts[i], end);
        }
        return out;
    }
}
