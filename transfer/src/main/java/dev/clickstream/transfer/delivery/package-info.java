/**
 * The delivery loop and its exactly-once state machine, behind two ports: {@code source.RecordSource} (Kafka) and
 * {@code store.DeliveryStore} (ClickHouse), so every case of transfer/DESIGN.md also runs in memory.
 *
 * <p>Where each part lives: {@link dev.clickstream.transfer.delivery.DeliveryLoop} (the loop's thread: poll, fill,
 * write, stop), {@link dev.clickstream.transfer.delivery.PartitionPositions} (each partition's phase:
 * AWAITING_POSITION, RECOVERING, DELIVERING), {@link dev.clickstream.transfer.delivery.Positioner} (from the offset
 * log's window to a position), {@link dev.clickstream.transfer.delivery.Repositioning} (every partition again after
 * a pause or a changed table), {@link dev.clickstream.transfer.delivery.FillingBatch} with
 * {@link dev.clickstream.transfer.delivery.ParsePool} (the batch being filled),
 * {@link dev.clickstream.transfer.delivery.WriteQueue} and {@link dev.clickstream.transfer.delivery.WriteAttempts}
 * (the writes in flight and how each ends: written, failed, fenced, table changed, abandoned),
 * {@link dev.clickstream.transfer.delivery.PauseWatch} (stand-stills of this process),
 * {@link dev.clickstream.transfer.delivery.RetryPolicy} (the one retry policy),
 * {@link dev.clickstream.transfer.delivery.DeliveryReport} (counters, lag, totals) and
 * {@link dev.clickstream.transfer.delivery.Gaps} (offsets retention removed before they were delivered).
 */
package dev.clickstream.transfer.delivery;
