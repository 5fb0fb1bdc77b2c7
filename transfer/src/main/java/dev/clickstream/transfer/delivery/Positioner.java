package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.source.RecordSource;
import dev.clickstream.transfer.store.DeliveryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Positions the partitions waiting in {@link PartitionPositions}: inside the offset log's window, skipping what is
 * stored, or, without history, where the group says. A failure is retried by the {@link RetryPolicy} on a later
 * turn of the loop; the partitions stay paused meanwhile.
 */
final class Positioner {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    private final DeliveryStore store;
    private final PartitionPositions positions;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private final RetryPolicy retryPolicy;
    private long nextAttempt;
    private int attempts;

    Positioner(LoopParts parts) {
        this.store = parts.store();
        this.positions = parts.positions();
        this.metrics = parts.metrics();
        this.status = parts.status();
        this.retryPolicy = parts.retryPolicy();
    }

    /** New partitions are waiting: try at once. */
    void reset() {
        nextAttempt = 0;
        attempts = 0;
    }

    /** Positions what waits, each partition resumed once positioned; stops at the first failure until its backoff. */
    void positionPending(RecordSource source) {
        Set<Integer> awaiting = positions.awaiting();
        if (awaiting.isEmpty() || System.nanoTime() < nextAttempt) {
            return;
        }
        for (int p : awaiting) {
            try {
                Optional<DeliveryStore.Window> logged = store.uncertain(p);
                if (logged.isPresent()) {
                    resume(source, p, logged.get());
                } else {
                    long position = source.position(p);
                    positions.startAt(p, position);
                    // The next owner of a partition without history starts where the group says: here, not at
                    // auto_offset_reset (with `latest`, the end would skip what this instance read but did not log).
                    source.commitSync(Map.of(p, position));
                    LOG.info("partition {} has no delivery history in ClickHouse; starting at offset {}", p, position);
                }
                source.resume(List.of(p));
                attempts = 0;
            } catch (RuntimeException e) {
                if (!retryPolicy.isRetryable(e)) {
                    throw e;
                }
                status.failed(e.getMessage());
                LOG.warn("cannot position partition {} yet: {}", p, e.getMessage());
                nextAttempt = System.nanoTime() + retryPolicy.backoff(attempts++).toNanos();
                return;
            }
        }
    }

    /**
     * Resumes a partition inside its logged window: the writes that logged it are ended first (their instance may
     * have been cut off mid-write), then what is stored is read. When retention already removed the start of the
     * window, the gap is reported and counted, and delivery goes on from the first message Kafka still has.
     */
    private void resume(RecordSource source, int p, DeliveryStore.Window w) {
        store.awaitEnd(w.writeIds());
        Set<RowKey> present = store.presentKeys(Map.of(p, w.range()));
        long start = source.beginningOffsets(Set.of(p)).getOrDefault(p, 0L);
        long first = w.first();
        if (start > first) {
            Gaps.Lost lost = Gaps.undelivered(first, start, present);
            if (lost.messages() > 0) {
                metrics.skippedMessages.inc(lost.messages());
                status.gap(p, lost.firstOffset(), start, lost.messages());
                LOG.warn("partition {}: Kafka removed offsets up to {} (retention or delete-records) before {} of them"
                        + " were delivered, the first at offset {}; those messages are lost, delivery goes on at"
                        + " offset {}", p, start - 1, lost.messages(), lost.firstOffset(), start);
            }
            first = start;
        }
        source.seek(p, first);
        if (first > w.last()) {
            positions.startAt(p, first);
        } else {
            positions.recoverFrom(p, new ParseShard.Recovery(first, w.last(), present));
        }
        LOG.info("partition {} resumes at offset {}: its last logged batches cover {}..{}, {} of their lines are in"
                + " ClickHouse", p, first, w.first(), w.last(), present.size());
    }
}
