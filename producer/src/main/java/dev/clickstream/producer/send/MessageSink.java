package dev.clickstream.producer.send;

import dev.clickstream.common.bytes.ByteSink;

/** Where produced messages go: Kafka, or stdout for a look at the data. */
public interface MessageSink extends AutoCloseable {
    /** Hands over one message; the sink copies what it keeps. */
    void send(ByteSink value, int events, int malformed);

    /** Waits until everything handed over is stored (acknowledged) or has failed. */
    void flush();

    /** What is stored so far. */
    Delivery.Totals totals();

    /** The first failure, or null while all is well. */
    Exception failure();

    @Override
    void close();
}
