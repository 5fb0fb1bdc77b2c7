package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;

/**
 * What watches over the delivery loop and paces it: the metrics and {@code /status} it reports to, the one retry
 * policy every wait goes through, and the watch that notices this process standing still.
 */
public record Supervision(TransferMetrics metrics, TransferStatus status, RetryPolicy retryPolicy, PauseWatch pauses) {
}
