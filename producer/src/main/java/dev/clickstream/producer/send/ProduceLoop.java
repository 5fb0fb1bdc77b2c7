package dev.clickstream.producer.send;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.producer.encode.MessageBuilder;

/**
 * Builds messages and hands them to a sink until the count is reached, the sink fails or a stop is
 * requested (Ctrl-C): then it flushes, so everything handed over is either acknowledged or reported.
 */
public final class ProduceLoop {
    private final MessageBuilder messages;
    private final MessageSink sink;
    private final long messageCount;
    private final Pacer pacer;
    private final Progress progress;
    private volatile boolean stopRequested;

    /** {@code messageCount} 0 means until {@link #stop()}. */
    public ProduceLoop(MessageBuilder messages, MessageSink sink, long messageCount, Pacer pacer, Progress progress) {
        this.messages = messages;
        this.sink = sink;
        this.messageCount = messageCount;
        this.pacer = pacer;
        this.progress = progress;
    }

    /** Runs to the end; returns the elapsed seconds from the first message to the last acknowledgement. */
    public double run() {
        ByteSink value = new ByteSink(64 * 1024);
        long started = System.nanoTime();
        try {
            long sent = 0;
            long lines = 0;
            while (!stopRequested && (messageCount == 0 || sent < messageCount) && sink.failure() == null) {
                messages.next(value);
                pacer.awaitTurn(lines, this::keepWaiting);
                if (stopRequested) {
                    break;
                }
                sink.send(value, messages.events(), messages.malformed());
                sent++;
                lines += messages.events() + messages.malformed();
                progress.tick();
            }
            sink.flush();
            return (System.nanoTime() - started) / 1e9;
        } finally {
            progress.finish();
        }
    }

    /** Asks the loop to stop after the current message; returns at once. */
    public void stop() {
        stopRequested = true;
    }

    private boolean keepWaiting() {
        progress.tick();
        return !stopRequested;
    }
}
