package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.source.RecordSource;
import org.apache.kafka.common.errors.WakeupException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the transfer tells about its delivery: the counters and Kafka's copy of the offsets after each stored batch,
 * each partition's lag in {@link TransferMetrics} and {@link TransferStatus}, and the totals of /status. Runs on the
 * loop's thread, except {@link #totals} which the HTTP thread reads.
 */
final class DeliveryReport {
    private final PartitionPositions positions;
    private final TransferMetrics metrics;
    private final TransferStatus status;

    DeliveryReport(PartitionPositions positions, TransferMetrics metrics, TransferStatus status) {
        this.positions = positions;
        this.metrics = metrics;
        this.status = status;
    }

    /** After a batch is in ClickHouse: counters, positions, and the copy of the offsets in Kafka. */
    void delivered(Batch b, long startedNanos, RecordSource source) {
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

    /** Each owned partition's lag against the end Kafka reports, and the state: delivering, idle or stopping. */
    void refreshLag(RecordSource source, boolean stopping) {
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

    long totalLag(RecordSource source) {
        return (long) source.assignment().stream().mapToDouble(p -> metrics.lag.labelValues(Integer.toString(p)).get())
                .sum();
    }

    /** For /status: totals since start, and the target's columns as the transfer writes them. */
    Map<String, Object> totals(List<String> columns) {
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
        m.put("columns", columns);
        return m;
    }
}
