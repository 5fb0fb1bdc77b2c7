package dev.clickstream.transfer;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.metrics.ProgressLog;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.Batch;
import dev.clickstream.transfer.sink.DeliveryStore;
import dev.clickstream.transfer.sink.RowEncoder;
import dev.clickstream.transfer.source.RecordSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The delivery loop: poll Kafka, parse each message's lines into a batch (rows for the target table,
 * failures for the unparsed table), and write the batch when it is full or old enough: first its offset
 * ranges to the offset log, then the rows. Exactly once rests on that order; transfer/DESIGN.md goes
 * through it case by case. One thread owns the loop and everything the rebalance callbacks touch (they run
 * inside its poll); parser threads fill shards of a batch while it waits, and writer threads only insert a
 * batch they were handed. The loop's state lives in named parts: {@link PartitionPositions} (each partition's
 * phase), {@link Positioner} (from the offset log to a position), {@link WriteQueue} (the writes in flight and
 * their retries), {@link PauseWatch} (stand-stills of the process) and one {@link RetryPolicy}.
 */
public final class Transfer implements RecordSource.Assignments {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    private final TransferConfig config;
    private final String topic;
    private final DeliveryStore store;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private final RetryPolicy retryPolicy;
    private final PauseWatch pauses;
    /** The pause epoch the loop last positioned its partitions in; writes of an older one are fenced. */
    private int loopEpoch;
    private RecordSource source;

    private TableLayout targetLayout;
    private final TableLayout unparsedLayout;
    private RowEncoder targetEncoder;
    private final RowEncoder unparsedEncoder;
    private final ParsePool parsers;
    private Batch batch;

    private final int maxRows;
    private final long maxBytes;
    private final long maxDelayNanos;

    private final PartitionPositions positions = new PartitionPositions();
    private final Positioner positioner;
    private final WriteQueue writes;
    private volatile boolean stopping;
    /** Set by {@link #stop()}: past it, a batch that cannot be written is abandoned. */
    private volatile long shutdownDeadline = Long.MAX_VALUE;
    /** Partitions revoked while one poll's records are being handled: their remaining records are dropped. */
    private final Set<Integer> revokedDuringPoll = new TreeSet<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stoppedCleanly;

    Transfer(TransferConfig config, String instance, DeliveryStore store, TableLayout target, TableLayout unparsed,
             TransferMetrics metrics, TransferStatus status, RetryPolicy retryPolicy, PauseWatch pauses) {
        this.config = config;
        this.topic = config.source().topicName();
        this.store = store;
        this.metrics = metrics;
        this.status = status;
        this.retryPolicy = retryPolicy;
        this.pauses = pauses;
        this.unparsedLayout = unparsed;
        this.positioner = new Positioner(store, positions, metrics, status, retryPolicy);
        this.writes = new WriteQueue(instance, store, unparsed, metrics, status, retryPolicy, pauses,
                new WriteQueue.Host() {
                    @Override
                    public void waitPolling(Duration wait) {
                        keepMembershipFor(wait);
                    }

                    @Override
                    public boolean pastShutdownDeadline() {
                        return stopping && System.nanoTime() > shutdownDeadline;
                    }

                    @Override
                    public void delivered(Batch batch, long startedNanos) {
                        Transfer.this.delivered(batch, startedNanos);
                    }
                });
        this.unparsedEncoder = RowEncoder.of(config.batchOrDefault().formatOrDefault(), unparsed);
        TransferConfig.Json json = config.source().parser().json();
        this.parsers = new ParsePool(json.nullKeysAllowedOrDefault(),
                config.target() != null && config.target().schemaEvolutionOrDefault());
        TransferConfig.Batch b = config.batchOrDefault();
        this.maxRows = b.maxRowsOrDefault();
        this.maxBytes = b.maxBytesOrDefault();
        this.maxDelayNanos = b.maxDelayOrDefault().toNanos();
        useLayout(target);
        this.batch = newBatch();
    }

    void attach(RecordSource recordSource) {
        this.source = recordSource;
    }

    private void useLayout(TableLayout layout) {
        this.targetLayout = layout;
        parsers.useLayout(layout, unparsedLayout);
        this.targetEncoder = RowEncoder.of(config.batchOrDefault().formatOrDefault(), layout);
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

    // ------------------------------------------------------------------ the loop

    /** Runs until {@link #stop()}; the batch in flight is written (or abandoned after a grace period). */
    public void run() {
        parsers.start(daemon("transfer-parser"));
        writes.start(daemon("transfer-writer"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("transfer-pause-watch"));
        long every = pauses.tickEvery().toNanos();
        ticker.scheduleAtFixedRate(pauses::tick, every, every, TimeUnit.NANOSECONDS);
        loopEpoch = pauses.tick();
        status.state("delivering");
        long nextLagRefresh = 0;
        ProgressLog progress = new ProgressLog(metrics, LOG);
        boolean failed = true;
        try {
            while (!stopping) {
                try {
                    int epoch = pauses.tick();
                    if (epoch != loopEpoch) {
                        afterPause(epoch);
                    }
                    positioner.positionPending(source);
                    List<ConsumerRecord<byte[], byte[]>> records = source.poll(pollTimeout());
                    if (!records.isEmpty()) {
                        handle(records);
                    }
                    if (!batch.isEmpty() && (batch.ageNanos() >= maxDelayNanos || full())) {
                        flush();
                    }
                    writes.settleFinished();
                    if (writes.tableChanged()) {
                        afterTableChange();
                    }
                    long now = System.nanoTime();
                    if (now >= nextLagRefresh) {
                        refreshLag();
                        nextLagRefresh = now + TimeUnit.SECONDS.toNanos(2);
                    }
                    progress.maybeLog(totalLag());
                } catch (WakeupException | Stopping e) {
                    if (!stopping) {
                        throw e;
                    }
                }
            }
            failed = false;
        } finally {
            try {
                writeLastBatches();
            } finally {
                // A loop that failed did not stop cleanly, even when its last batch got written: the exit code says so.
                if (failed) {
                    stoppedCleanly = false;
                }
                ticker.shutdownNow();
                writes.shutdown();
                parsers.shutdown();
                try {
                    source.close();
                } finally {
                    status.state("stopped");
                    finished.countDown();
                }
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** On the way out: the batches under way and the one being filled are written, and the offsets committed. */
    private void writeLastBatches() {
        status.state("stopping");
        markShutdownDeadline();
        try {
            int rows = batch.rows() + writes.rows();
            if (writes.settle() && writeNow()) {
                LOG.info("stopping: the last batch is written ({} rows)", rows);
                stoppedCleanly = true;
            }
            source.commitSync(positions.nextOffsets());
        } catch (RuntimeException e) {
            LOG.warn("stopping: the last batch was abandoned ({}); the next start reads it again", e.getMessage());
        }
    }

    private void markShutdownDeadline() {
        if (shutdownDeadline == Long.MAX_VALUE) {
            shutdownDeadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
        }
    }

    /** Asks the loop to stop (from a shutdown hook) and waits for it to finish. */
    public void stop() {
        markShutdownDeadline();
        stopping = true;
        if (source != null) {
            source.wakeup();
        }
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** True when the loop ended with its last batch written (false if it was abandoned or the loop failed). */
    public boolean stoppedCleanly() {
        return stoppedCleanly;
    }

    private boolean full() {
        return batch.rows() >= maxRows || batch.encodedBytes() >= maxBytes;
    }

    private Duration pollTimeout() {
        if (!writes.isEmpty()) {
            return Duration.ofMillis(20);
        }
        if (batch.isEmpty()) {
            return Duration.ofMillis(500);
        }
        long left = maxDelayNanos - batch.ageNanos();
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(left,
                TimeUnit.MILLISECONDS.toNanos(100))));
    }

    // ------------------------------------------------------------------ parsing into the batch

    /**
     * Parses one poll's records into the batch, split into contiguous chunks parsed at the same time by
     * the shards. When a record brings a field schema evolution must add, the poll's rows are taken back
     * and the records are parsed again one by one (see {@link #handleInOrder}).
     */
    private void handle(List<ConsumerRecord<byte[], byte[]>> list) {
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
                if (stopping) {
                    throw new Stopping(); // the batch before the new fields is written; the rest is read again
                }
                LOG.warn("schema evolution failed: {}; retrying", e.getMessage());
                keepMembershipFor(retryPolicy.backoff(attempt));
            }
        }
        useLayout(layout);
        writes.clearSpares();
        batch = newBatch();
    }

    /** Ends the loop when stopping leaves work that cannot be finished; nothing after it was written. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("stopping", null, false, false);
        }
    }

    // ------------------------------------------------------------------ writing a batch

    /** Hands the current batch to a writer thread, once fewer than IN_FLIGHT writes are under way. */
    private void flush() {
        if (batch.isEmpty() || !writes.makeRoom() || writes.tableChanged()) {
            return; // with the table changed, the batch was encoded for the old table: the loop reads it again first
        }
        Batch b = batch;
        batch = newBatch();
        writes.submit(b, targetLayout, loopEpoch);
    }

    /** Writes the current batch and waits for every write (schema evolution and shutdown need all written). */
    private boolean writeNow() {
        flush();
        return writes.settle() && !writes.tableChanged();
    }

    /**
     * After this process stood still longer than the pause threshold: the group may have moved its partitions, and
     * their next owner may have read what is stored. The batch being filled is dropped, the writes under way end
     * (those not yet written are fenced), and every partition is positioned again from ClickHouse.
     */
    private void afterPause(int epoch) {
        LOG.warn("this process stood still for {} ms (more than {} ms): the batch it held is dropped and its partitions"
                + " are positioned again from ClickHouse", pauses.longestPause().toMillis(), pauses.threshold().toMillis());
        metrics.pauses.inc();
        batch.reset();
        writes.settle();
        repositionAll();
        loopEpoch = epoch;
    }

    /** Every owned partition goes back to awaiting its position from the offset log; nothing held is written. */
    private void repositionAll() {
        Set<Integer> owned = source.assignment();
        positions.assigned(owned);
        source.pause(owned);
        positioner.reset();
        writes.repositioned();
    }

    /**
     * A write found the target altered or dropped under it: the batches encoded for the old table are dropped, the
     * table is read again (and created again if it is gone), and every partition is positioned again from the
     * offset log, so the lines of those batches are parsed again for the table as it is.
     */
    private void afterTableChange() {
        batch.reset();
        writes.settle();
        List<Batch> unwritten = writes.takeChangedUnder();
        boolean targetGone = writes.takeTargetGone();
        TableLayout layout;
        for (int attempt = 0; ; attempt++) {
            try {
                layout = store.reload();
                writes.logAgain(unwritten);
                break;
            } catch (RuntimeException e) {
                if (!retryPolicy.isRetryable(e)) {
                    throw e;
                }
                metrics.retries.inc();
                status.failed(e.getMessage());
                if (stopping) {
                    throw new Stopping();
                }
                LOG.warn("reading the changed table failed: {}; retrying", e.getMessage());
                keepMembershipFor(retryPolicy.backoff(attempt));
            }
        }
        LOG.info("writing to {} as it is now: {}", config.tableName(), describe(layout));
        useLayout(layout);
        writes.clearSpares();
        batch = newBatch();
        if (targetGone) {
            resumeAtDelivered();
        } else {
            repositionAll();
        }
    }

    /**
     * After the target was dropped and created again: what was delivered went with the old table, so the lines of
     * the log's newest ranges are not read again into the new one (they would look missing there); each positioned
     * partition resumes after its last delivered batch, and the batches not written are read again.
     */
    private void resumeAtDelivered() {
        Set<Integer> owned = source.assignment();
        Set<Integer> unpositioned = new TreeSet<>(owned);
        positions.nextOffsets().forEach((p, next) -> {
            if (owned.contains(p)) {
                source.seek(p, next);
                positions.startAt(p, next);
                unpositioned.remove(p);
            }
        });
        positions.assigned(unpositioned); // not positioned yet: from the offset log as usual
        source.pause(unpositioned);
        positioner.reset();
        writes.repositioned();
        LOG.warn("table {} was dropped: it is created again, and delivery goes on after the last delivered batch of"
                + " each partition; what was in the old table is not written again", config.tableName());
    }

    private static String describe(TableLayout layout) {
        List<String> cols = new java.util.ArrayList<>();
        for (int i = 0; i < layout.columns().size(); i++) {
            if (layout.columns().get(i).isField()) {
                cols.add(layout.columns().get(i).name() + " " + layout.tableType(i).text());
            }
        }
        return String.join(", ", cols);
    }

    /** After a batch is in ClickHouse: counters, positions, and the copy of the offsets in Kafka. */
    private void delivered(Batch b, long startedNanos) {
        metrics.insertSeconds.observe((System.nanoTime() - startedNanos) / 1e9);
        metrics.rows.inc(b.targetRows());
        metrics.unparsedRows.inc(b.unparsedRows());
        metrics.droppedValues.inc(b.droppedValues());
        metrics.messages.inc(b.messages());
        metrics.bytes.inc(b.inputBytes());
        metrics.batches.inc();
        metrics.failing.set(0);
        long now = System.currentTimeMillis();
        metrics.lastDelivery.set(now / 1000d);
        if (b.oldestTimestampMs() != Long.MAX_VALUE) {
            metrics.deliveryDelaySeconds.observe(Math.max(0, now - b.oldestTimestampMs()) / 1000d);
        }
        status.delivered();
        Map<Integer, Long> next = new HashMap<>();
        Set<Integer> owned = source.assignment();
        b.ranges().forEach((p, r) -> {
            if (owned.contains(p)) {
                next.put(p, r.last() + 1);
                positions.delivered(p, r.last() + 1);
                metrics.deliveredOffset.labelValues(Integer.toString(p)).set(r.last() + 1);
            }
        });
        source.commit(next);
    }

    /**
     * Waits without reading: the partitions stay paused, but polling keeps this instance in its group and
     * lets rebalances run (a revoked partition leaves the batch being retried).
     */
    private void keepMembershipFor(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        source.pauseAll();
        try {
            while (System.nanoTime() < end && !(stopping && System.nanoTime() > shutdownDeadline)) {
                try {
                    source.poll(Duration.ofNanos(Math.min(end - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200))));
                } catch (WakeupException e) {
                    // stop() was called: the retry loop ends at the shutdown deadline
                }
            }
        } finally {
            source.resumeAllBut(positions.awaiting());
        }
    }

    // ------------------------------------------------------------------ partitions coming and going

    @Override
    public void assigned(Set<Integer> partitions) {
        positions.assigned(partitions);
        source.pause(partitions);
        positioner.reset();
        LOG.info("assigned partitions {} of {}", partitions, topic);
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        // The next owner reads the log as soon as this returns: every write under way must be over by then.
        writes.revoked(partitions);
        revokedDuringPoll.addAll(partitions);
        for (int p : partitions) {
            batch.dropPartition(p);
            positions.revoked(p);
            metrics.forgetPartition(p);
            status.removePartition(p);
        }
        LOG.info("partitions {} of {} left this instance; their undelivered messages go to the next owner",
                partitions, topic);
    }

    private void refreshLag() {
        Set<Integer> owned = source.assignment();
        if (owned.isEmpty()) {
            status.state(stopping ? "stopping" : "idle");
            return;
        }
        status.state("delivering");
        Map<Integer, Long> ends;
        try {
            ends = source.endOffsets(owned);
        } catch (RuntimeException e) {
            if (e instanceof WakeupException) {
                throw e;
            }
            return;
        }
        for (int p : owned) {
            long end = ends.getOrDefault(p, 0L);
            long next = positions.next(p, end);
            long lag = Math.max(0, end - next);
            metrics.lag.labelValues(Integer.toString(p)).set(lag);
            status.partition(new TransferStatus.PartitionState(p, next, end, lag, positions.positioning(p)));
        }
    }

    private long totalLag() {
        return (long) source.assignment().stream().mapToDouble(p -> metrics.lag.labelValues(Integer.toString(p)).get())
                .sum();
    }

    /** For /status: totals since start. */
    public Map<String, Object> totals() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rows", (long) metrics.rows.get());
        m.put("unparsed_rows", (long) metrics.unparsedRows.get());
        m.put("skipped_messages", (long) metrics.skippedMessages.get());
        m.put("dropped_values", (long) metrics.droppedValues.get());
        m.put("fenced_batches", (long) metrics.fencedBatches.get());
        m.put("messages", (long) metrics.messages.get());
        m.put("bytes", (long) metrics.bytes.get());
        m.put("batches", (long) metrics.batches.get());
        m.put("retries", (long) metrics.retries.get());
        m.put("columns", targetLayout.columnNames());
        return m;
    }
}
