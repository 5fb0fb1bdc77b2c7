package dev.clickstream.transfer;

import dev.clickstream.common.cli.UserFacingException;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.metrics.ProgressLog;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.parse.JsonLineParser;
import dev.clickstream.transfer.parse.MessageLines;
import dev.clickstream.transfer.parse.ParseOutcome;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.Batch;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.RowEncoder;
import dev.clickstream.transfer.sink.RowKey;
import dev.clickstream.transfer.source.KafkaSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The delivery loop: poll Kafka, parse each message's lines into a batch (rows for the target table,
 * failures for the unparsed table), and write the batch when it is full or old enough: first its offset
 * ranges to the offset log, then the rows. Exactly once rests on that order; transfer/DESIGN.md goes
 * through it case by case. One thread does everything, so rebalance callbacks (which run inside poll)
 * never race a write.
 */
public final class Transfer implements KafkaSource.Assignments {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    private static final Duration RECOVERY_RETRY = Duration.ofSeconds(2);
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    /** The lines of the last logged batch of a partition that are already in ClickHouse. */
    private record Recovery(long lastOffset, Set<RowKey> present) {
    }

    private final TransferConfig config;
    private final String instance;
    private final String topic;
    private final ClickHouseSink sink;
    private final OffsetLog offsetLog;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private KafkaSource source;

    private TableLayout targetLayout;
    private final TableLayout unparsedLayout;
    private JsonLineParser parser;
    private RowEncoder targetEncoder;
    private final RowEncoder unparsedEncoder;
    private Row row;
    private final Row unparsedRow;
    private Batch batch;

    private final int maxRows;
    private final long maxBytes;
    private final long maxDelayNanos;

    private final Set<Integer> awaitingRecovery = new TreeSet<>();
    private final Map<Integer, Recovery> recovering = new HashMap<>();
    private final Map<Integer, Long> delivered = new HashMap<>();
    private long nextRecoveryAttempt;
    private volatile boolean stopping;
    private long shutdownDeadline = Long.MAX_VALUE;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stoppedCleanly;

    Transfer(TransferConfig config, String instance, ClickHouseSink sink, OffsetLog offsetLog, TableLayout target,
             TableLayout unparsed, TransferMetrics metrics, TransferStatus status) {
        this.config = config;
        this.instance = instance;
        this.topic = config.source().topicName();
        this.sink = sink;
        this.offsetLog = offsetLog;
        this.metrics = metrics;
        this.status = status;
        this.unparsedLayout = unparsed;
        this.unparsedEncoder = RowEncoder.of(config.batchOrDefault().formatOrDefault(), unparsed);
        this.unparsedRow = new Row(unparsed.columns().size());
        TransferConfig.Batch b = config.batchOrDefault();
        this.maxRows = b.maxRowsOrDefault();
        this.maxBytes = b.maxBytesOrDefault();
        this.maxDelayNanos = b.maxDelayOrDefault().toNanos();
        useLayout(target);
        this.batch = newBatch();
    }

    void attach(KafkaSource kafkaSource) {
        this.source = kafkaSource;
    }

    private void useLayout(TableLayout layout) {
        this.targetLayout = layout;
        TransferConfig.Json json = config.source().parser().json();
        this.parser = new JsonLineParser(layout, json.nullKeysAllowedOrDefault(),
                config.target() != null && config.target().schemaEvolutionOrDefault());
        this.targetEncoder = RowEncoder.of(config.batchOrDefault().formatOrDefault(), layout);
        this.row = new Row(layout.columns().size());
    }

    private Batch newBatch() {
        return new Batch(targetEncoder, unparsedEncoder, (int) Math.min(maxBytes + (1 << 20), 64 << 20));
    }

    // ------------------------------------------------------------------ the loop

    /** Runs until {@link #stop()}; the batch in flight is written (or abandoned after a grace period). */
    public void run() {
        status.state("delivering");
        long nextLagRefresh = 0;
        ProgressLog progress = new ProgressLog(metrics, LOG);
        try {
            while (!stopping) {
                try {
                    recoverPending();
                    ConsumerRecords<byte[], byte[]> records = source.poll(pollTimeout());
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        handle(r);
                    }
                    if (!batch.isEmpty() && (batch.ageNanos() >= maxDelayNanos || full())) {
                        deliverCurrent();
                    }
                    long now = System.nanoTime();
                    if (now >= nextLagRefresh) {
                        refreshLag();
                        nextLagRefresh = now + TimeUnit.SECONDS.toNanos(2);
                    }
                    progress.maybeLog(totalLag());
                } catch (WakeupException e) {
                    if (!stopping) {
                        throw e;
                    }
                }
            }
        } finally {
            status.state("stopping");
            shutdownDeadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
            try {
                int rows = batch.rows();
                if (deliverCurrent()) {
                    LOG.info("stopping: the last batch is written ({} rows)", rows);
                    stoppedCleanly = true;
                }
                source.commitSync(delivered);
            } catch (RuntimeException e) {
                LOG.warn("stopping: the last batch was abandoned ({}); the next start reads it again", e.getMessage());
            }
            source.close();
            status.state("stopped");
            finished.countDown();
        }
    }

    /** Asks the loop to stop (from a shutdown hook) and waits for it to finish. */
    public void stop() {
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
        if (batch.isEmpty()) {
            return Duration.ofMillis(500);
        }
        long left = maxDelayNanos - batch.ageNanos();
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(left,
                TimeUnit.MILLISECONDS.toNanos(100))));
    }

    // ------------------------------------------------------------------ parsing into the batch

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        int partition = record.partition();
        long offset = record.offset();
        Recovery recovery = recovering.get(partition);
        if (recovery != null && offset > recovery.lastOffset()) {
            recovering.remove(partition);
            recovery = null;
        }
        while (true) {
            int targetMark = batch.target().count();
            int unparsedMark = batch.unparsed().count();
            Map<String, FieldType> newFields = addLines(record, recovery);
            if (newFields == null) {
                break;
            }
            batch.truncate(targetMark, unparsedMark);
            deliverCurrent();
            evolve(newFields);
        }
        batch.addMessage(partition, offset, record.value() == null ? 0 : record.value().length, record.timestamp());
        if (full()) {
            deliverCurrent();
        }
    }

    /** Adds the message's lines to the batch; returns new fields when schema evolution must run first. */
    private Map<String, FieldType> addLines(ConsumerRecord<byte[], byte[]> record, Recovery recovery) {
        LineHandler handler = new LineHandler(record, recovery);
        MessageLines.forEach(record.value(), handler);
        return handler.newFields;
    }

    private final class LineHandler implements MessageLines.Consumer {
        private final ConsumerRecord<byte[], byte[]> record;
        private final Recovery recovery;
        private Map<String, FieldType> newFields;

        LineHandler(ConsumerRecord<byte[], byte[]> record, Recovery recovery) {
            this.record = record;
            this.recovery = recovery;
        }

        @Override
        public void line(int index, byte[] data, int offset, int length) {
            if (newFields != null) {
                return;
            }
            int partition = record.partition();
            if (recovery != null && recovery.present().contains(new RowKey(partition, record.offset(), index))) {
                return;
            }
            row.clear();
            ParseOutcome outcome = parser.parse(data, offset, length, row);
            if (outcome instanceof ParseOutcome.Ok) {
                setSource(targetLayout, row, index);
                batch.target().add(row, partition, record.offset(), index);
            } else if (outcome instanceof ParseOutcome.Unparsed u) {
                unparsedRow.clear();
                setSource(unparsedLayout, unparsedRow, index);
                byte[] raw = new byte[length];
                System.arraycopy(data, offset, raw, 0, length);
                unparsedRow.setBytes(unparsedLayout.indexOf(ColumnKind.RAW), raw);
                unparsedRow.setString(unparsedLayout.indexOf(ColumnKind.REASON), u.reason());
                batch.unparsed().add(unparsedRow, partition, record.offset(), index);
            } else if (outcome instanceof ParseOutcome.NewFields nf) {
                newFields = new LinkedHashMap<>(nf.fields());
            }
        }

        private void setSource(TableLayout layout, Row r, int line) {
            r.setString(layout.indexOf(ColumnKind.TOPIC), record.topic());
            r.setLong(layout.indexOf(ColumnKind.PARTITION), record.partition());
            r.setLong(layout.indexOf(ColumnKind.OFFSET), record.offset());
            r.setLong(layout.indexOf(ColumnKind.LINE), line);
            r.setLong(layout.indexOf(ColumnKind.TIMESTAMP), record.timestamp() * 1000L);
        }
    }

    /** Schema evolution: new top-level fields become Nullable columns; the batch before them is already written. */
    private void evolve(Map<String, FieldType> fields) {
        TableLayout layout = targetLayout;
        while (true) {
            try {
                for (var f : fields.entrySet()) {
                    if (layout.column(f.getKey()).isEmpty()) {
                        layout = layout.withEvolved(f.getKey(), f.getValue());
                    }
                    sink.addColumn(layout, f.getKey());
                    metrics.schemaChanges.inc();
                    LOG.info("schema evolution: new column {} {} in {}", f.getKey(),
                            layout.clickhouseType(layout.column(f.getKey()).orElseThrow()), sink.describe());
                }
                break;
            } catch (UserFacingException e) {
                metrics.retries.inc();
                status.failed(e.getMessage());
                LOG.warn("schema evolution failed: {}; retrying", e.getMessage());
                keepMembershipFor(Duration.ofSeconds(2));
            }
        }
        useLayout(layout);
        batch = newBatch();
    }

    // ------------------------------------------------------------------ writing a batch

    private boolean deliverCurrent() {
        boolean written = deliver(batch);
        batch = newBatch();
        return written;
    }

    /**
     * Writes a batch: its offset ranges to the log, then its rows. A failure is retried with backoff until
     * it succeeds (or the transfer stops); a retry first leaves out rows an earlier attempt may have
     * written. Returns false only when the batch was abandoned on shutdown.
     */
    private boolean deliver(Batch b) {
        if (b.isEmpty()) {
            return true;
        }
        long t0 = System.nanoTime();
        String batchId = UUID.randomUUID().toString();
        boolean logged = false;
        for (int attempt = 0; ; attempt++) {
            if (b.isEmpty()) {
                return true;
            }
            try {
                if (attempt > 0) {
                    b.dropPresent(sink.presentKeys(b.ranges()));
                }
                if (!logged) {
                    offsetLog.record(b.ranges(), batchId, instance);
                    logged = true;
                }
                sink.write(b, targetLayout, unparsedLayout);
                break;
            } catch (UserFacingException e) {
                metrics.retries.inc();
                metrics.failing.set(1);
                status.failed(e.getMessage());
                if (stopping && System.nanoTime() > shutdownDeadline) {
                    LOG.warn("stopping: abandoning a batch of {} rows after {} attempts: {}", b.rows(), attempt + 1,
                            e.getMessage());
                    return false;
                }
                Duration wait = backoff(attempt);
                LOG.warn("batch of {} rows not written (attempt {}): {}; retrying in {} ms", b.rows(), attempt + 1,
                        e.getMessage(), wait.toMillis());
                keepMembershipFor(wait);
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        metrics.insertSeconds.observe(seconds);
        metrics.rows.inc(b.target().count());
        metrics.unparsedRows.inc(b.unparsed().count());
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
        b.ranges().forEach((p, r) -> {
            next.put(p, r.last() + 1);
            delivered.put(p, r.last() + 1);
            metrics.deliveredOffset.labelValues(Integer.toString(p)).set(r.last() + 1);
        });
        source.commit(next);
        return true;
    }

    private static Duration backoff(int attempt) {
        long base = Math.min(10_000L, 200L << Math.min(attempt, 6));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
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
            source.resumeAllBut(awaitingRecovery);
        }
    }

    // ------------------------------------------------------------------ partitions coming and going

    @Override
    public void assigned(Set<Integer> partitions) {
        awaitingRecovery.addAll(partitions);
        source.pause(partitions);
        nextRecoveryAttempt = 0;
        LOG.info("assigned partitions {} of {}", partitions, topic);
    }

    @Override
    public void revoked(Set<Integer> partitions) {
        for (int p : partitions) {
            batch.dropPartition(p);
            awaitingRecovery.remove(p);
            recovering.remove(p);
            delivered.remove(p);
            metrics.forgetPartition(p);
            status.removePartition(p);
        }
        LOG.info("partitions {} of {} left this instance; their undelivered messages go to the next owner",
                partitions, topic);
    }

    /**
     * Positions newly assigned partitions from the offset log in ClickHouse: at the first offset of the
     * partition's newest logged batch, skipping its lines already written. Partitions stay paused until then.
     */
    private void recoverPending() {
        if (awaitingRecovery.isEmpty() || System.nanoTime() < nextRecoveryAttempt) {
            return;
        }
        for (int p : List.copyOf(awaitingRecovery)) {
            try {
                Optional<Batch.Range> latest = offsetLog.latest(p);
                if (latest.isPresent()) {
                    Batch.Range r = latest.get();
                    Set<RowKey> present = sink.presentKeys(Map.of(p, r));
                    recovering.put(p, new Recovery(r.last(), present));
                    source.seek(p, r.first());
                    delivered.put(p, r.first());
                    LOG.info("partition {} resumes at offset {}: its last logged batch covers {}..{}, {} of its lines"
                            + " are in ClickHouse", p, r.first(), r.first(), r.last(), present.size());
                } else {
                    long position = source.position(p);
                    delivered.put(p, position);
                    LOG.info("partition {} has no delivery history in ClickHouse; starting at offset {}", p, position);
                }
                awaitingRecovery.remove(p);
                source.resume(List.of(p));
            } catch (UserFacingException e) {
                status.failed(e.getMessage());
                LOG.warn("cannot position partition {} from ClickHouse yet: {}", p, e.getMessage());
                nextRecoveryAttempt = System.nanoTime() + RECOVERY_RETRY.toNanos();
                return;
            }
        }
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
            long next = delivered.getOrDefault(p, end);
            long lag = Math.max(0, end - next);
            metrics.lag.labelValues(Integer.toString(p)).set(lag);
            status.partition(new TransferStatus.PartitionState(p, next, end, lag,
                    awaitingRecovery.contains(p) || recovering.containsKey(p)));
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
        m.put("dropped_rows", (long) metrics.droppedRows.get());
        m.put("messages", (long) metrics.messages.get());
        m.put("bytes", (long) metrics.bytes.get());
        m.put("batches", (long) metrics.batches.get());
        m.put("retries", (long) metrics.retries.get());
        m.put("columns", targetLayout.columnNames());
        return m;
    }
}
