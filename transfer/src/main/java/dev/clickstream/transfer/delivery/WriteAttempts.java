package dev.clickstream.transfer.delivery;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.store.FailureClass;
import dev.clickstream.transfer.store.TableChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * How one write of the {@link WriteQueue} ends. Its first attempt runs on a writer thread; on the loop's thread,
 * a failed write is then retried with backoff, leaving out what earlier attempts wrote, until it is WRITTEN, FENCED
 * (held across a pause), TABLE_CHANGED, or ABANDONED at shutdown. Every attempt checks the pause epoch before it
 * logs and before it inserts.
 */
final class WriteAttempts {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    /** How a write ended. */
    enum Outcome {
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
    private final WriteQueue.Host host;

    /** A batch whose write failed and is being retried by the loop; a revoked partition leaves it too. */
    private Batch retrying;
    /** Set when a write found the target dropped, not altered; the loop reads it with the batches not written. */
    private boolean targetGone;

    WriteAttempts(String instance, LoopParts parts, TableLayout unparsedLayout) {
        this.instance = instance;
        this.store = parts.store();
        this.unparsedLayout = unparsedLayout;
        this.metrics = parts.metrics();
        this.status = parts.status();
        this.retryPolicy = parts.retryPolicy();
        this.pauses = parts.pauses();
        this.host = parts.loop();
    }

    /**
     * One attempt: the batch's ranges to the offset log, then its rows, unless this process stood still since the
     * write's epoch began or the table is no longer the layout the rows were encoded for. On a writer thread for
     * the first attempt, on the loop's thread for a retry.
     */
    void write(Batch b, TableLayout target, int epoch, String writeId) {
        fence(epoch);
        store.checkStructure(target);
        store.record(b, writeId, instance);
        fence(epoch);
        // A stand-still between that check and the INSERT's last byte must fence it too: the body asks as it goes.
        b.guard(unsent -> {
            try {
                fence(epoch);
            } catch (Fenced f) {
                throw new java.io.IOException("this process stood still while writing: the INSERT is not finished ("
                        + unsent + " bytes of its body unsent)", f);
            }
        });
        try {
            store.write(b, target, unparsedLayout, writeId);
        } catch (RuntimeException e) {
            fence(epoch); // a body that failed its guard fails the INSERT: that is the fence, not a failure to retry
            throw e;
        }
    }

    /** How the write's first attempt ended; a failure is counted and reported, and left to {@link #retry}. */
    Outcome awaitWrite(WriteQueue.InFlight write) {
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
        FailureClass kind = FailureClass.of(cause);
        metrics.failedAttempt(kind.label());
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

    /** True once after the writes that found the table changed found it dropped. */
    boolean takeTargetGone() {
        boolean gone = targetGone;
        targetGone = false;
        return gone;
    }

    /**
     * Retries a batch whose write failed: first any earlier attempt still running in ClickHouse (a client
     * timeout does not stop it) is killed and awaited, then the rows it wrote are left out, its ranges are
     * logged again (harmless: the same range) and the rest is inserted.
     */
    Outcome retry(WriteQueue.InFlight write) {
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
                host.keepMembershipFor(wait);
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
                    write(b, write.layout(), write.epoch(), writeId);
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

    /** Partitions leave this instance (inside a poll, maybe while a retry waits): the retried batch drops them. */
    void revoked(Set<Integer> partitions) {
        if (retrying != null) {
            partitions.forEach(retrying::dropPartition);
        }
    }
}
