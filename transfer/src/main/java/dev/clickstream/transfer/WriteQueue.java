package dev.clickstream.transfer;

import dev.clickstream.common.cli.UserFacingException;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.Batch;
import dev.clickstream.transfer.sink.DeliveryStore;
import dev.clickstream.transfer.sink.FailureClass;
import dev.clickstream.transfer.sink.TableChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The writes in flight: up to {@link OffsetLog#IN_FLIGHT} batches written at once by writer threads while the loop
 * fills the next one, so parsing and ClickHouse's inserts overlap. A batch is logged only when fewer are in flight,
 * which keeps the offset log's rule: only the newest IN_FLIGHT ranges of a partition can be incomplete. Writes are
 * settled in the order they started, so Kafka's offsets never pass an unwritten batch. Each write ends WRITTEN,
 * FAILED (and is retried by the loop's thread, leaving out what it wrote), FENCED, TABLE_CHANGED or ABANDONED.
 */
final class WriteQueue {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    /** What the queue needs from the loop that owns it. */
    interface Host {
        /** Waits without reading, keeping the instance in its group: rebalances run, partitions stay paused. */
        void waitPolling(Duration wait);

        /** True once a stop's grace period is over: a batch that cannot be written is then abandoned. */
        boolean pastShutdownDeadline();

        /** A batch is stored: counters, positions, and Kafka's copy of the offsets move on. */
        void delivered(Batch batch, long startedNanos);
    }

    /** How a write ended. */
    private enum Outcome {
        WRITTEN,
        /** Failed; the loop retries it. */
        FAILED,
        /** Not written: it was held across a pause of this process (see {@link PauseWatch}). */
        FENCED,
        /** Not written: the table is no longer what its rows were encoded for (see {@link TableChanged}). */
        TABLE_CHANGED,
        /** Given up at shutdown; read again on the next start. */
        ABANDONED
    }

    /**
     * A batch being written, with the layout it was encoded for, the pause epoch it was made in, and the query ids
     * of every attempt that may still be running in ClickHouse.
     *
     * @param known how the first attempt ended when a rebalance already waited for it, else null
     */
    private record InFlight(Batch batch, Future<?> future, long startedNanos, TableLayout layout, int epoch,
                            List<String> writeIds, Outcome known) {
        InFlight settledAs(Outcome outcome) {
            return new InFlight(batch, future, startedNanos, layout, epoch, writeIds, outcome);
        }
    }

    /** A write held across a pause of this process: dropped, never written. */
    private static final class Fenced extends RuntimeException {
        Fenced() {
            super("fenced", null, false, false);
        }
    }

    private final String instance;
    private final DeliveryStore store;
    private final TableLayout unparsedLayout;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private final RetryPolicy retryPolicy;
    private final PauseWatch pauses;
    private final Host host;

    private ExecutorService writer;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    /** A batch whose write failed and is being retried by the loop; a revoked partition leaves it too. */
    private Batch retrying;
    private final Deque<Batch> spares = new ArrayDeque<>();
    /**
     * Set when a batch is abandoned at shutdown: nothing after it may be written or committed, so the abandoned
     * batch stays among the newest logged ranges and is read again on the next start.
     */
    private boolean abandoned;
    /** Set when a write was fenced: later writes must not commit Kafka offsets past it until partitions are repositioned. */
    private boolean fenced;
    /**
     * Writes that found the table changed, not written: the loop reads the table again, logs their ranges (a later
     * batch may have been logged, and the window recovery re-reads must reach back over them), then positions
     * every partition again. Nothing is submitted meanwhile.
     */
    private final List<Batch> changedUnder = new ArrayList<>();
    /** Set with {@link #changedUnder} when the target was dropped, not altered. */
    private boolean targetGone;

    WriteQueue(String instance, DeliveryStore store, TableLayout unparsedLayout, TransferMetrics metrics,
               TransferStatus status, RetryPolicy retryPolicy, PauseWatch pauses, Host host) {
        this.instance = instance;
        this.store = store;
        this.unparsedLayout = unparsedLayout;
        this.metrics = metrics;
        this.status = status;
        this.retryPolicy = retryPolicy;
        this.pauses = pauses;
        this.host = host;
    }

    /** The writer threads exist only while the loop runs. */
    void start(java.util.concurrent.ThreadFactory threads) {
        writer = Executors.newFixedThreadPool(OffsetLog.IN_FLIGHT, threads);
    }

    void shutdown() {
        writer.shutdownNow();
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    int rows() {
        return inFlight.stream().mapToInt(f -> f.batch().rows()).sum();
    }

    /** A written batch whose buffers can be reused, or null. */
    Batch spare() {
        return spares.poll();
    }

    /** Forgets the spare batches: a new layout needs new encoders. */
    void clearSpares() {
        spares.clear();
    }

    /**
     * Settles the oldest writes until fewer than IN_FLIGHT are under way (freeing their batches for reuse); false
     * when a batch was abandoned at shutdown, after which nothing more may be written.
     */
    boolean makeRoom() {
        while (inFlight.size() >= OffsetLog.IN_FLIGHT) {
            settleOldest();
        }
        return !abandoned;
    }

    /** Hands a batch to a writer thread; call {@link #makeRoom()} first. */
    void submit(Batch b, TableLayout target, int epoch) {
        if (inFlight.size() >= OffsetLog.IN_FLIGHT || abandoned) {
            throw new IllegalStateException("no room for another write");
        }
        String writeId = UUID.randomUUID().toString();
        Future<?> f = writer.submit(() -> {
            fence(epoch);
            store.checkStructure(target);
            store.record(b, writeId, instance);
            fence(epoch);
            store.write(b, target, unparsedLayout, writeId);
            return null;
        });
        inFlight.add(new InFlight(b, f, System.nanoTime(), target, epoch, new ArrayList<>(List.of(writeId)), null));
    }

    /** Settles the writes that are over, oldest first, without waiting: counters, positions and commits move on. */
    void settleFinished() {
        while (!inFlight.isEmpty() && inFlight.peek().future().isDone()) {
            settleOldest();
        }
    }

    /** Waits for every write under way, oldest first; false when a batch was abandoned on shutdown. */
    boolean settle() {
        while (!inFlight.isEmpty()) {
            settleOldest();
        }
        return !abandoned;
    }

    /** After the partitions were positioned again (a pause, a changed table): later writes may commit offsets again. */
    void repositioned() {
        fenced = false;
    }

    /** True from a write finding the table changed until the loop takes its batches: submit nothing meanwhile. */
    boolean tableChanged() {
        return !changedUnder.isEmpty();
    }

    /** The batches not written because the table changed under them, once. */
    List<Batch> takeChangedUnder() {
        List<Batch> batches = List.copyOf(changedUnder);
        changedUnder.clear();
        return batches;
    }

    /** True once after the batches taken last found the target dropped. */
    boolean takeTargetGone() {
        boolean gone = targetGone;
        targetGone = false;
        return gone;
    }

    /**
     * Logs the ranges of batches that were not written: harmless if they were logged already (the same ranges), and
     * needed if they were not while a later batch was, so the newest logged ranges still cover every unwritten line.
     */
    void logAgain(List<Batch> batches) {
        for (Batch b : batches) {
            if (!b.isEmpty()) {
                store.record(b, UUID.randomUUID().toString(), instance);
            }
        }
    }

    /**
     * Waits for the oldest write; a failed write is retried here, with backoff, until it succeeds or the
     * transfer stops. Once a batch is abandoned on shutdown, the writes after it count as not delivered:
     * committing their offsets would skip it.
     */
    private void settleOldest() {
        InFlight oldest = inFlight.poll();
        Outcome outcome = awaitWrite(oldest);
        if (outcome == Outcome.FAILED) {
            outcome = retry(oldest);
        }
        switch (outcome) {
            case WRITTEN -> {
                if (!abandoned && !fenced) {
                    host.delivered(oldest.batch(), oldest.startedNanos());
                }
            }
            case FENCED -> {
                fenced = true;
                metrics.fencedBatches.inc();
                LOG.warn("a batch of {} rows held across a pause of this process is dropped, not written; its partitions"
                        + " are positioned again from ClickHouse", oldest.batch().rows());
            }
            case TABLE_CHANGED -> {
                fenced = true;
                changedUnder.add(oldest.batch());
                return; // its ranges are logged again by the loop: the batch is not reused before that
            }
            case ABANDONED, FAILED -> abandoned = true;
        }
        if (spares.size() < OffsetLog.IN_FLIGHT && !abandoned) {
            spares.add(oldest.batch());
        }
    }

    /** How the write's first attempt ended; a failure is counted and reported, and left to {@link #retry}. */
    private Outcome awaitWrite(InFlight write) {
        if (write.known() != null) {
            return write.known();
        }
        try {
            write.future().get();
            return Outcome.WRITTEN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.FAILED;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Fenced) {
                return Outcome.FENCED;
            }
            if (cause instanceof TableChanged tc) {
                return tableChanged(write.batch(), tc);
            }
            if (!retryPolicy.isRetryable(cause)) {
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
            failed(write.batch(), 0, cause);
            return Outcome.FAILED;
        }
    }

    /** Throws {@link Fenced} when this process stood still since the write's epoch began. */
    private void fence(int epoch) {
        if (pauses.tick() != epoch) {
            throw new Fenced();
        }
    }

    private void failed(Batch b, int attempt, Throwable cause) {
        metrics.retries.inc();
        metrics.failing.set(1);
        FailureClass kind = FailureClass.of(cause);
        metrics.writeErrors.labelValues(kind.label()).inc();
        String message = kind.label() + " error: "
                + (cause instanceof UserFacingException ? cause.getMessage() : String.valueOf(cause));
        status.failed(message);
        LOG.warn("batch of {} rows not written (attempt {}): {}", b.rows(), attempt + 1, message);
    }

    private Outcome tableChanged(Batch b, TableChanged change) {
        targetGone |= change.tableGone();
        metrics.writeErrors.labelValues(FailureClass.TABLE_CHANGED.label()).inc();
        LOG.warn("{}: a batch of {} rows encoded for the table as it was is not written; the table is read again and"
                + " its lines with it", change.getMessage(), b.rows());
        return Outcome.TABLE_CHANGED;
    }

    /**
     * Retries a batch whose write failed: first any earlier attempt still running in ClickHouse (a client
     * timeout does not stop it) is killed and awaited, then the rows it wrote are left out, its ranges are
     * logged again (harmless: the same range) and the rest is inserted.
     */
    private Outcome retry(InFlight write) {
        Batch b = write.batch();
        List<String> writeIds = write.writeIds();
        retrying = b;
        try {
            for (int attempt = 1; ; attempt++) {
                if (host.pastShutdownDeadline()) {
                    LOG.warn("stopping: abandoning a batch of {} rows after {} attempts", b.rows(), attempt);
                    return Outcome.ABANDONED;
                }
                Duration wait = retryPolicy.backoff(attempt - 1);
                LOG.info("retrying in {} ms", wait.toMillis());
                host.waitPolling(wait);
                if (b.isEmpty()) {
                    return Outcome.WRITTEN;
                }
                try {
                    fence(write.epoch());
                    store.awaitEnd(writeIds);
                    writeIds.clear();
                    b.dropPresent(store.presentKeys(b.ranges()));
                    String writeId = UUID.randomUUID().toString();
                    writeIds.add(writeId);
                    fence(write.epoch());
                    store.checkStructure(write.layout());
                    store.record(b, writeId, instance);
                    fence(write.epoch());
                    store.write(b, write.layout(), unparsedLayout, writeId);
                    return Outcome.WRITTEN;
                } catch (Fenced e) {
                    return Outcome.FENCED;
                } catch (TableChanged e) {
                    return tableChanged(b, e);
                } catch (RuntimeException e) {
                    if (!retryPolicy.isRetryable(e)) {
                        throw e;
                    }
                    failed(b, attempt, e);
                }
            }
        } finally {
            retrying = null;
        }
    }

    /**
     * Partitions leave this instance (inside a poll): the next owner reads the log as soon as this returns, so
     * every write under way must be over by then. A write that failed has its INSERTs ended and leaves the revoked
     * partitions to the next owner; the rest of that batch is retried here.
     */
    void revoked(Set<Integer> partitions) {
        List<InFlight> settled = new ArrayList<>(inFlight);
        inFlight.clear();
        for (InFlight f : settled) {
            Outcome outcome = awaitWrite(f);
            if (outcome == Outcome.FAILED) {
                endWrites(f.writeIds());
                partitions.forEach(f.batch()::dropPartition);
            }
            inFlight.add(f.settledAs(outcome));
        }
        if (retrying != null) {
            partitions.forEach(retrying::dropPartition);
        }
    }

    /** Best effort: if ClickHouse cannot be reached, the next owner ends them too before it reads. */
    private void endWrites(List<String> writeIds) {
        try {
            store.awaitEnd(writeIds);
        } catch (RuntimeException e) {
            LOG.warn("could not end the failed writes {} before giving their partitions away: {}", writeIds,
                    e.getMessage());
        }
    }
}
