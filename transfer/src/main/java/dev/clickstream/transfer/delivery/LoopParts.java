package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.store.DeliveryStore;

/**
 * What the parts of one {@link DeliveryLoop} share: the store, the partitions' positions (owned by the loop's thread),
 * the supervision, and the loop itself for waiting and stopping.
 */
record LoopParts(DeliveryStore store, PartitionPositions positions, Supervision supervision, WriteQueue.Host loop) {
    TransferMetrics metrics() {
        return supervision.metrics();
    }

    TransferStatus status() {
        return supervision.status();
    }

    RetryPolicy retryPolicy() {
        return supervision.retryPolicy();
    }

    PauseWatch pauses() {
        return supervision.pauses();
    }
}
