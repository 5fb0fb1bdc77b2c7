package dev.clickstream.producer.send;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.cli.RecordOutput;

/** Prints each message and a newline (a packed message prints its lines; an empty one an empty line). */
public final class StdoutSink implements MessageSink {
    private final RecordOutput out;
    private long messages;
    private long events;
    private long malformed;
    private long bytes;

    public StdoutSink(RecordOutput out) {
        this.out = out;
    }

    @Override
    public void send(ByteSink value, int events, int malformed) {
        out.write(value.array(), 0, value.size());
        out.write((byte) '\n');
        messages++;
        this.events += events;
        this.malformed += malformed;
        bytes += value.size();
    }

    @Override
    public void flush() {
        out.flush();
    }

    @Override
    public Delivery.Totals totals() {
        return new Delivery.Totals(messages, events, malformed, bytes, 0);
    }

    @Override
    public Exception failure() {
        return null;
    }

    @Override
    public void close() {
        out.flush();
    }
}
