package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.delivery.WriteAttempts.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The writes in flight: up to {@link DeliveryStore#IN_FLIGHT} batches written at once by writer threads while the loop
 * fills the next one, so parsing and ClickHouse's inserts overlap. A batch is logged only when fewer are in flight,
 * which keeps the offset log's rule: only the newest IN_FLIGHT ranges of a partition can be incomplete. Writes are
 * settled in the order they started, so Kafka's offsets never pass an unwritten batch. Each write ends WRITTEN,
 * FAILED (and is retried by the loop's thread, leaving out what it wrote), FENCED, TABLE_CHANGED or ABANDONED:
 * {@link WriteAttempts} makes its attempts and says how it ended, the queue settles it.
 */
final class WriteQueue {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    /** What the queue needs from the loop that owns it. */
    interface Host extends DeliveryLoop.Loop {
        /** True once a stop's grace period is over: a batch that cannot be written is then abandoned. */
        boolean pastShutdownDeadline();

        /** A batch is stored: counters, positions, and Kafka's copy of the offsets move on. */
        void delivered(Batch batch, long startedNanos);
    }

    /**
     * A batch being written, with the layout it was encoded for, the pause epoch it was made in, and the query ids
     * of every attempt that may still be running in ClickHouse.
     *
     * @param known how the first attempt ended when a rebalance already waited for it, else null
     */
    record InFlight(Batch batch, Future<?> future, long startedNanos, TableLayout layout, int epoch,
                    List<String> writeIds, Outcome known) {
        InFlight settledAs(Outcome outcome) {
            return new InFlight(batch, future, startedNanos, layout, epoch, writeIds, outcome);
        }
    }

    private final String instance;
    private final DeliveryStore store;
    private final TransferMetrics metrics;
    private final Host host;
    private final WriteAttempts attempts;

    private ExecutorService writer;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
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

    WriteQueue(String instance, LoopParts parts, TableLayout unparsedLayout) {
        this.instance = instance;
        this.store = parts.store();
        this.metrics = parts.metrics();
        this.host = parts.loop();
        this.attempts = new WriteAttempts(instance, parts, unparsedLayout);
    }

    /** The writer threads exist only while the loop runs. */
    void start(java.util.concurrent.ThreadFactory threads) {
        writer = Executors.newFixedThreadPool(DeliveryStore.IN_FLIGHT, threads);
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
        while (inFlight.size() >= DeliveryStore.IN_FLIGHT) {
            settleOldest();
        }
        return !abandoned;
    }

    /** Hands a batch to a writer thread; call {@link #makeRoom()} first. */
    void submit(Batch b, TableLayout target, int epoch) {
        if (inFlight.size() >= DeliveryStore.IN_FLIGHT || abandoned) {
            throw new IllegalStateException("no room for another write");
        }
        String writeId = UUID.randomUUID().toString();
        Future<?> f = writer.submit(() -> {
            attempts.write(b, target, epoch, writeId);
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
        return attempts.takeTargetGone();
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
        Outcome outcome = attempts.awaitWrite(oldest);
        if (outcome == Outcome.FAILED) {
            outcome = attempts.retry(oldest);
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
        if (spares.size() < DeliveryStore.IN_FLIGHT && !abandoned) {
            spares.add(oldest.batch());
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
            Outcome outcome = attempts.awaitWrite(f);
            if (outcome == Outcome.FAILED) {
                endWrites(f.writeIds());
                partitions.forEach(f.batch()::dropPartition);
            }
            inFlight.add(f.settledAs(outcome));
        }
        attempts.revoked(partitions);
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
