package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.source.RecordSource;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.store.FailureClass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Positions every owned partition again when what this instance held can no longer be trusted: after a pause of
 * the process (the group may have moved the partitions meanwhile) and after the target table changed under a write
 * (the batches were encoded for the table as it was). The batch being filled is dropped and every partition goes
 * back to AWAITING_POSITION in {@link PartitionPositions}, for the {@link Positioner} to place from the offset log;
 * after the target was dropped, partitions resume after their last delivered batch instead. Runs on the loop's
 * thread.
 */
final class Repositioning {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    private final String table;
    private final DeliveryStore store;
    private final PartitionPositions positions;
    private final Positioner positioner;
    private final WriteQueue writes;
    private final FillingBatch filling;
    private final PauseWatch pauses;
    private final TransferMetrics metrics;
    private final TransferStatus status;
    private final RetryPolicy retryPolicy;
    private final DeliveryLoop.Loop loop;

    Repositioning(String table, LoopParts parts, Positioner positioner, WriteQueue writes, FillingBatch filling) {
        this.table = table;
        this.store = parts.store();
        this.positions = parts.positions();
        this.positioner = positioner;
        this.writes = writes;
        this.filling = filling;
        this.pauses = parts.pauses();
        this.metrics = parts.metrics();
        this.status = parts.status();
        this.retryPolicy = parts.retryPolicy();
        this.loop = parts.loop();
    }

    /**
     * After this process stood still longer than the pause threshold: the group may have moved its partitions, and
     * their next owner may have read what is stored. The batch being filled is dropped, the writes under way end
     * (those not yet written are fenced), and every partition is positioned again from ClickHouse. The loop then
     * takes the new epoch.
     */
    void afterPause(RecordSource source) {
        LOG.warn("this process stood still for {} ms (more than {} ms): the batch it held is dropped and its partitions"
                + " are positioned again from ClickHouse", pauses.longestPause().toMillis(), pauses.threshold().toMillis());
        metrics.pauses.inc();
        filling.drop();
        writes.settle();
        repositionAll(source);
    }

    /**
     * Every owned partition goes back to awaiting its position from the offset log; nothing held is written. The
     * consumer first goes back to each partition's next undelivered offset: a partition without history is started
     * where the consumer stands, and after polling it stands past lines that were read but never logged.
     */
    private void repositionAll(RecordSource source) {
        Set<Integer> owned = source.assignment();
        seekToDelivered(source, owned);
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
    void afterTableChange(RecordSource source) {
        filling.drop();
        writes.settle();
        List<Batch> unwritten = writes.takeChangedUnder();
        boolean seenGone = writes.takeTargetGone();
        boolean targetGone;
        TableLayout layout;
        for (int attempt = 0; ; attempt++) {
            try {
                // A server shutting down answers as if its tables were gone; only a table still missing once it
                // answers again was dropped. Any other case is read again from the offset log, presence checked.
                targetGone = seenGone && !store.targetExists();
                layout = store.reload();
                writes.logAgain(unwritten);
                break;
            } catch (RuntimeException e) {
                if (!retryPolicy.isRetryable(e)) {
                    throw e;
                }
                metrics.failedAttempt(FailureClass.of(e).label());
                status.failed(e.getMessage());
                if (loop.stopping()) {
                    throw new DeliveryLoop.Stopping();
                }
                LOG.warn("reading the changed table failed: {}; retrying", e.getMessage());
                loop.keepMembershipFor(retryPolicy.backoff(attempt));
            }
        }
        LOG.info("writing to {} as it is now: {}", table, describe(layout));
        filling.useLayout(layout);
        if (targetGone) {
            resumeAtDelivered(source);
        } else {
            repositionAll(source);
        }
    }

    /**
     * After the target was dropped and created again: what was delivered went with the old table, so the lines of
     * the log's newest ranges are not read again into the new one (they would look missing there); each positioned
     * partition resumes after its last delivered batch, and the batches not written are read again.
     */
    private void resumeAtDelivered(RecordSource source) {
        Set<Integer> owned = source.assignment();
        Set<Integer> unpositioned = new TreeSet<>(owned);
        seekToDelivered(source, owned).forEach((p, next) -> {
            positions.startAt(p, next);
            unpositioned.remove(p);
        });
        positions.assigned(unpositioned); // not positioned yet: from the offset log as usual
        source.pause(unpositioned);
        positioner.reset();
        writes.repositioned();
        LOG.warn("table {} was dropped: it is created again, and delivery goes on after the last delivered batch of"
                + " each partition; what was in the old table is not written again", table);
    }

    /** Sends the consumer back to each owned, positioned partition's next undelivered offset; returns those offsets. */
    private Map<Integer, Long> seekToDelivered(RecordSource source, Set<Integer> owned) {
        Map<Integer, Long> delivered = new TreeMap<>(positions.nextOffsets());
        delivered.keySet().retainAll(owned);
        delivered.forEach(source::seek);
        return delivered;
    }

    private static String describe(TableLayout layout) {
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < layout.columns().size(); i++) {
            if (layout.columns().get(i).isField()) {
                cols.add(layout.columns().get(i).name() + " " + layout.tableType(i).text());
            }
        }
        return String.join(", ", cols);
    }
}
