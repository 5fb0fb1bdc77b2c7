package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowEncoder;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The batch being filled: each poll's records parsed into it by the {@link ParsePool} (rows for the target table,
 * failures for the unparsed table), whole messages only, and handed to the {@link WriteQueue} when it is full or
 * old enough. It holds the target's layout the batch is encoded for, and evolves the schema when a record brings
 * a new top-level field. Owned by the loop's thread; a rebalance callback drops a revoked partition's rows from it.
 */
final class FillingBatch {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    private final DeliveryStore store;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private final RetryPolicy retryPolicy;
    private final PartitionPositions positions;
    private final WriteQueue writes;
    private final ParsePool parsers;
    private final DeliveryLoop.Loop loop;
    /** The pause epoch the loop last positioned its partitions in: a batch is written under it. */

    private final InsertFormat format;
    private TableLayout targetLayout;
    private final TableLayout unparsedLayout;
    private RowEncoder targetEncoder;
    private final RowEncoder unparsedEncoder;
    private Batch batch;

    private final int maxRows;
    private final long maxBytes;
    private final long maxDelayNanos;

    /** Partitions revoked while one poll's records are being handled: their remaining records are dropped. */
    private final Set<Integer> revokedDuringPoll = new TreeSet<>();

    FillingBatch(TransferConfig.Batch config, LoopParts parts, TableLayout target, TableLayout unparsed,
                 WriteQueue writes, ParsePool parsers) {
        this.store = parts.store();
        this.metrics = parts.metrics();
        this.status = parts.status();
        this.retryPolicy = parts.retryPolicy();
        this.positions = parts.positions();
        this.writes = writes;
        this.parsers = parsers;
        this.loop = parts.loop();
        this.format = config.formatOrDefault();
        this.unparsedLayout = unparsed;
        this.unparsedEncoder = RowEncoder.of(format, unparsed);
        this.maxRows = config.maxRowsOrDefault();
        this.maxBytes = config.maxBytesOrDefault();
        this.maxDelayNanos = config.maxDelayOrDefault().toNanos();
        useLayout(target);
    }

    /** The target's layout the batch is encoded for. */
    TableLayout layout() {
        return targetLayout;
    }

    /**
     * Fills batches for this layout from now on: the batch being filled and the spare ones were encoded for the
     * old one.
     */
    void useLayout(TableLayout layout) {
        this.targetLayout = layout;
        parsers.useLayout(layout, unparsedLayout);
        this.targetEncoder = RowEncoder.of(format, layout);
        writes.clearSpares();
        batch = newBatch();
    }

    /** An empty batch, reusing the buffers of the last one written when the layout has not changed since. */
    private Batch newBatch() {
        Batch b = writes.spare();
        if (b != null && b.encodesWith(targetEncoder)) {
            b.reset();
            return b;
        }
        return new Batch(targetEncoder, unparsedEncoder, parsers.size(), 1 << 20);
    }

    boolean isEmpty() {
        return batch.isEmpty();
    }

    int rows() {
        return batch.rows();
    }

    /** True when the batch holds messages and is full or old enough to be written. */
    boolean due() {
        return !batch.isEmpty() && (batch.ageNanos() >= maxDelayNanos || full());
    }

    /** How long until the batch is old enough to be written (negative once it is). */
    long nanosUntilDue() {
        return maxDelayNanos - batch.ageNanos();
    }

    private boolean full() {
        return batch.rows() >= maxRows || batch.encodedBytes() >= maxBytes;
    }

    /** Drops what the batch holds, not written: its lines are read again. */
    void drop() {
        batch.reset();
    }

    /** Partitions left this instance (inside a poll): their rows leave the batch, their next records are dropped. */
    void revoked(Set<Integer> partitions) {
        revokedDuringPoll.addAll(partitions);
        for (int p : partitions) {
            batch.dropPartition(p);
        }
    }

    // ------------------------------------------------------------------ parsing into the batch

    /**
     * Parses one poll's records into the batch, split into contiguous chunks parsed at the same time by
     * the shards. When a record brings a field schema evolution must add, the poll's rows are taken back
     * and the records are parsed again one by one (see {@link #handleInOrder}).
     */
    void handle(List<ConsumerRecord<byte[], byte[]>> list) {
        revokedDuringPoll.clear();
        ParseShard.Recovery[] recoveries = new ParseShard.Recovery[list.size()];
        for (int i = 0; i < list.size(); i++) {
            recoveries[i] = recoveryOf(list.get(i));
        }
        Batch b = batch;
        int[] targetMarks = b.targetMarks();
        int[] unparsedMarks = b.unparsedMarks();
        boolean evolve;
        try {
            evolve = parsers.parseAll(list, recoveries, b);
        } catch (RuntimeException e) {
            // Rows of records the batch does not list as messages would be written outside its logged ranges.
            b.truncate(targetMarks, unparsedMarks);
            throw e;
        }
        if (evolve) {
            b.truncate(targetMarks, unparsedMarks);
            for (int i = 0; i < list.size(); i++) {
                handleInOrder(list.get(i), recoveries[i]);
            }
        } else {
            for (int i = 0; i < list.size(); i++) {
                addMessage(list.get(i), recoveries[i]);
            }
        }
        if (full()) {
            flush();
        }
    }

    private void addMessage(ConsumerRecord<byte[], byte[]> r, ParseShard.Recovery recovery) {
        batch.addMessage(r.partition(), r.offset(), r.value() == null ? 0 : r.value().length, r.timestamp());
        if (recovery != null) {
            batch.extendFirst(r.partition(), recovery.firstOffset());
        }
    }

    /** The recovery window a record falls in, if any; a partition leaves recovery past its window. */
    private ParseShard.Recovery recoveryOf(ConsumerRecord<byte[], byte[]> record) {
        return positions.windowOf(record.partition(), record.offset());
    }

    /**
     * One record at a time, for polls that change the schema: the batch before the record is written, the
     * columns are added, and the record is parsed again with the new layout.
     */
    private void handleInOrder(ConsumerRecord<byte[], byte[]> record, ParseShard.Recovery recovery) {
        while (true) {
            if (revokedDuringPoll.contains(record.partition())) {
                return; // writing or evolving polled, and a rebalance gave the partition to another instance
            }
            int[] targetMarks = batch.targetMarks();
            int[] unparsedMarks = batch.unparsedMarks();
            Map<String, FieldType> newFields = parsers.addLines(record, recovery, batch);
            if (newFields == null) {
                break;
            }
            batch.truncate(targetMarks, unparsedMarks);
            writeNow();
            evolve(newFields);
        }
        addMessage(record, recovery);
        if (full()) {
            flush();
        }
    }

    /**
     * Schema evolution: new top-level fields become Nullable columns; the batch before them is already
     * written. A column another instance added first is taken with its type, if the transfer can write it.
     */
    private void evolve(Map<String, FieldType> fields) {
        TableLayout layout = targetLayout;
        for (int attempt = 0; ; attempt++) {
            try {
                for (var f : fields.entrySet()) {
                    if (layout.canEvolve(f.getKey())) {
                        layout = store.addColumn(layout, f.getKey(), f.getValue());
                        if (layout.column(f.getKey()).isPresent()) {
                            metrics.schemaChanges.inc(); // not for a field left in _rest
                        }
                    }
                }
                break;
            } catch (RuntimeException e) {
                if (!retryPolicy.isRetryable(e)) {
                    throw e;
                }
                metrics.retries.inc();
                status.failed(e.getMessage());
                if (loop.stopping()) {
                    throw new DeliveryLoop.Stopping(); // the batch before the new fields is written; the rest is read again
                }
                LOG.warn("schema evolution failed: {}; retrying", e.getMessage());
                loop.keepMembershipFor(retryPolicy.backoff(attempt));
            }
        }
        useLayout(layout);
    }

    // ------------------------------------------------------------------ writing a batch

    /** Hands the current batch to a writer thread, once fewer than IN_FLIGHT writes are under way. */
    void flush() {
        if (batch.isEmpty() || !writes.makeRoom() || writes.tableChanged()) {
            return; // with the table changed, the batch was encoded for the old table: the loop reads it again first
        }
        Batch b = batch;
        batch = newBatch();
        writes.submit(b, targetLayout, loop.epoch());
    }

    /** Writes the current batch and waits for every write (schema evolution and shutdown need all written). */
    boolean writeNow() {
        flush();
        return writes.settle() && !writes.tableChanged();
    }
}
