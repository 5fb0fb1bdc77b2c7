package dev.clickstream.transfer.metrics;

import org.slf4j.Logger;

import java.util.concurrent.TimeUnit;

/** A log line every few seconds: rows/s, lag and unparsed rows, in key=value form. */
public final class ProgressLog {
    private static final long EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final TransferMetrics metrics;
    private final Logger log;
    private long lastAt = System.nanoTime();
    private double lastRows;
    private double lastUnparsed;
    private double lastBatches;

    public ProgressLog(TransferMetrics metrics, Logger log) {
        this.metrics = metrics;
        this.log = log;
    }

    public void maybeLog(long lag) {
        long now = System.nanoTime();
        if (now - lastAt < EVERY_NANOS) {
            return;
        }
        double seconds = (now - lastAt) / 1e9;
        double rows = metrics.rows.get();
        double unparsed = metrics.unparsedRows.get();
        double batches = metrics.batches.get();
        if (rows != lastRows || unparsed != lastUnparsed || lag > 0) {
            log.info("progress rows_per_s={} unparsed_per_s={} batches={} lag={} rows_total={} unparsed_total={}"
                            + " skipped_total={}", Math.round((rows - lastRows) / seconds),
                    Math.round((unparsed - lastUnparsed) / seconds), Math.round(batches - lastBatches), lag,
                    Math.round(rows), Math.round(unparsed), Math.round(metrics.skippedMessages.get()));
        }
        lastAt = now;
        lastRows = rows;
        lastUnparsed = unparsed;
        lastBatches = batches;
    }
}
