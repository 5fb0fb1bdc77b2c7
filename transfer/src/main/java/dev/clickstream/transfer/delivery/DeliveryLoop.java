package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.metrics.ProgressLog;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.source.RecordSource;
import dev.clickstream.transfer.store.DeliveryStore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * phase), {@link Positioner} (from the offset log to a position), {@link FillingBatch} (the batch being filled,
 * its layout and schema evolution), {@link WriteQueue} (the writes in flight, with {@link WriteAttempts} for how
 * each one ends and is retried), {@link Repositioning} (all partitions again, after a pause or a changed table),
 * {@link DeliveryReport} (counters, lag, totals), {@link PauseWatch} (stand-stills of the process) and one
 * {@link RetryPolicy}.
 */
public final class DeliveryLoop implements RecordSource.Assignments {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(15);

    /** What the parts that wait and retry on the loop's thread ask of it. */
    interface Loop {
        /** True once {@link DeliveryLoop#stop()} was called: a retry then ends the loop instead of waiting. */
        boolean stopping();

        /** Waits without reading, keeping the instance in its group: rebalances run, partitions stay paused. */
        void keepMembershipFor(Duration wait);

        /** The pause epoch the loop last positioned its partitions in: a batch made in it is written in it or fenced. */
        int epoch();
    }

    /** Ends the loop when stopping leaves work that cannot be finished; nothing after it was written. */
    static final class Stopping extends RuntimeException {
        Stopping() {
            super("stopping", null, false, false);
        }
    }

    private final String topic;
    private final String instance;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private final PauseWatch pauses;
    /** Set by a pause until the group has confirmed this instance's generation; nothing is written meanwhile. */
    private boolean membershipUnconfirmed;
    /** The pause epoch the loop last positioned its partitions in; writes of an older one are fenced. */
    private int loopEpoch;
    private RecordSource source;

    private final ParsePool parsers;
    private final PartitionPositions positions = new PartitionPositions();
    private final Positioner positioner;
    private final WriteQueue writes;
    private final FillingBatch filling;
    private final Repositioning repositioning;
    private final DeliveryReport report;
    private volatile boolean stopping;
    /** Set by {@link #stop()}: past it, a batch that cannot be written is abandoned. */
    private volatile long shutdownDeadline = Long.MAX_VALUE;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stoppedCleanly;

    /**
     * @param target   the target's layout as the table is now
     * @param unparsed the unparsed table's layout
     */
    public DeliveryLoop(TransferConfig config, String instance, DeliveryStore store, TableLayout target, TableLayout unparsed,
                    Supervision supervision) {
        this.topic = config.source().topicName();
        this.instance = instance;
        this.metrics = supervision.metrics();
        this.status = supervision.status();
        this.pauses = supervision.pauses();
        WriteQueue.Host loop = new WriteQueue.Host() {
            @Override
            public boolean stopping() {
                return stopping;
            }

            @Override
            public void keepMembershipFor(Duration wait) {
                DeliveryLoop.this.keepMembershipFor(wait);
            }

            @Override
            public int epoch() {
                return loopEpoch;
            }

            @Override
            public boolean pastShutdownDeadline() {
                return stopping && System.nanoTime() > shutdownDeadline;
            }

            @Override
            public void delivered(Batch batch, long startedNanos) {
                report.delivered(batch, startedNanos, source);
            }
        };
        LoopParts parts = new LoopParts(store, positions, supervision, loop);
        this.positioner = new Positioner(parts);
        this.writes = new WriteQueue(instance, parts, unparsed);
        TransferConfig.Json json = config.source().parser().json();
        this.parsers = new ParsePool(json.nullKeysAllowedOrDefault(), config.schemaEvolution());
        this.filling = new FillingBatch(config.batchOrDefault(), parts, target, unparsed, writes, parsers);
        this.repositioning = new Repositioning(config.tableName(), parts, positioner, writes, filling);
        this.report = new DeliveryReport(positions, metrics, status);
    }

    public void attach(RecordSource recordSource) {
        this.source = recordSource;
    }

    // ------------------------------------------------------------------ the loop

    /** Runs until {@link #stop()}; the batch in flight is written (or abandoned after a grace period). */
    public void run() {
        putContext();
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
                        repositioning.afterPause(source);
                        loopEpoch = epoch;
                        membershipUnconfirmed = true;
                    }
                    if (membershipUnconfirmed) {
                        // After a pause the group may have given the partitions away without this instance knowing:
                        // nothing is read or written until the group accepts a commit of this generation. Polling
                        // with every partition paused runs the rebalance that tells.
                        if (!source.confirmMembership()) {
                            source.pauseAll();
                            source.poll(pollTimeout());
                            continue;
                        }
                        membershipUnconfirmed = false;
                    }
                    positioner.positionPending(source);
                    List<ConsumerRecord<byte[], byte[]>> records = source.poll(pollTimeout());
                    if (!records.isEmpty()) {
                        filling.handle(records);
                    }
                    if (filling.due()) {
                        filling.flush();
                    }
                    writes.settleFinished();
                    if (writes.tableChanged()) {
                        repositioning.afterTableChange(source);
                    }
                    long now = System.nanoTime();
                    if (now >= nextLagRefresh) {
                        report.refreshLag(source, stopping);
                        nextLagRefresh = now + TimeUnit.SECONDS.toNanos(2);
                    }
                    progress.maybeLog(report.totalLag(source));
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
                    MDC.remove("instance");
                    MDC.remove("topic");
                }
            }
        }
    }

    /** The JSON log's {@code instance} and {@code topic} fields on every line of the loop's threads. */
    private void putContext() {
        MDC.put("instance", instance);
        MDC.put("topic", topic);
    }

    private java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(() -> {
                putContext();
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** On the way out: the batches under way and the one being filled are written, and the offsets committed. */
    private void writeLastBatches() {
        status.state("stopping");
        markShutdownDeadline();
        try {
            int rows = filling.rows() + writes.rows();
            if (writes.settle() && filling.writeNow()) {
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

    private Duration pollTimeout() {
        if (!writes.isEmpty()) {
            return Duration.ofMillis(20);
        }
        if (filling.isEmpty()) {
            return Duration.ofMillis(500);
        }
        long left = filling.nanosUntilDue();
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(left,
                TimeUnit.MILLISECONDS.toNanos(100))));
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
        filling.revoked(partitions);
        for (int p : partitions) {
            positions.revoked(p);
            metrics.forgetPartition(p);
            status.removePartition(p);
        }
        LOG.info("partitions {} of {} left this instance; their undelivered messages go to the next owner",
                partitions, topic);
    }

    /** For /status: totals since start. */
    public Map<String, Object> totals() {
        return report.totals(filling.layout().columnNames());
    }
}
