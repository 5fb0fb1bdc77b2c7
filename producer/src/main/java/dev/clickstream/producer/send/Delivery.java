package dev.clickstream.producer.send;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.function.LongConsumer;

/**
 * Counts what Kafka acknowledged. Every message gets a small callback carrying its own counts, and only an
 * acknowledgement adds them to the totals, so the summary never counts a message that was not stored.
 */
public final class Delivery {
    private volatile LongConsumer onAcknowledged = n -> { };
    private long messages;
    private long events;
    private long malformed;
    private long bytes;
    private long failedMessages;
    private volatile Exception firstFailure;

    /** {@code listener} gets the number of messages acknowledged so far, on Kafka's I/O thread. */
    public void onAcknowledged(LongConsumer listener) {
        this.onAcknowledged = listener;
    }

    public Callback callback(int events, int malformed, int bytes) {
        return new Acknowledgement(events, malformed, bytes);
    }

    public synchronized Totals totals() {
        return new Totals(messages, events, malformed, bytes, failedMessages);
    }

    /** The first send that failed, or null. */
    public Exception firstFailure() {
        return firstFailure;
    }

    /** What was acknowledged (and what failed) so far. */
    public record Totals(long messages, long events, long malformed, long bytes, long failedMessages) {
    }

    private final class Acknowledgement implements Callback {
        private final int events;
        private final int malformed;
        private final int bytes;

        Acknowledgement(int events, int malformed, int bytes) {
            this.events = events;
            this.malformed = malformed;
            this.bytes = bytes;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            long acknowledged;
            synchronized (Delivery.this) {
                if (exception != null) {
                    failedMessages++;
                    if (firstFailure == null) {
                        firstFailure = exception;
                    }
                    return;
                }
                acknowledged = ++messages;
                Delivery.this.events += events;
                Delivery.this.malformed += malformed;
                Delivery.this.bytes += bytes;
            }
            onAcknowledged.accept(acknowledged);
        }
    }
}
