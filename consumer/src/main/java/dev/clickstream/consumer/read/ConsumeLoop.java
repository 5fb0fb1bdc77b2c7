package dev.clickstream.consumer.read;

import dev.clickstream.consumer.output.RecordPrinter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * Polls and prints until a limit is reached, the topic has been quiet for the timeout, or {@link #stop()}
 * (Ctrl-C) wakes the consumer, as Kafka's console consumer does; offsets of what was printed are committed
 * on the way out.
 */
public final class ConsumeLoop {
    /** Why the loop ended. */
    public enum End { MAX_MESSAGES, TIMEOUT, INTERRUPTED }

    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final Consumer<ByteBuffer, ByteBuffer> consumer;
    private final RecordPrinter printer;
    private final long maxMessages;
    private final Duration timeout;
    private volatile boolean stopRequested;
    private long messages;
    private long bytes;

    /** {@code maxMessages} 0 means no limit; {@code timeout} null means wait forever. */
    public ConsumeLoop(Consumer<ByteBuffer, ByteBuffer> consumer, RecordPrinter printer, long maxMessages,
                       Duration timeout) {
        this.consumer = consumer;
        this.printer = printer;
        this.maxMessages = maxMessages;
        this.timeout = timeout;
    }

    public End run(String topic, Offsets offsets) {
        consumer.subscribe(List.of(topic), offsets);
        long lastMessage = System.nanoTime();
        try {
            while (!stopRequested) {
                ConsumerRecords<ByteBuffer, ByteBuffer> records = consumer.poll(pollTime(lastMessage));
                if (records.isEmpty()) {
                    if (timeout != null && System.nanoTime() - lastMessage >= timeout.toNanos()) {
                        return End.TIMEOUT;
                    }
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    long lastOffset = -1;
                    for (ConsumerRecord<ByteBuffer, ByteBuffer> r : records.records(partition)) {
                        ByteBuffer value = r.value();
                        printer.print(value, r.partition(), r.offset(), r.timestamp());
                        lastOffset = r.offset();
                        messages++;
                        bytes += value == null ? 0 : value.remaining();
                        if (maxMessages > 0 && messages >= maxMessages) {
                            offsets.printed(partition, lastOffset);
                            return End.MAX_MESSAGES;
                        }
                    }
                    offsets.printed(partition, lastOffset);
                }
                printer.flush();
                offsets.maybeCommit();
                lastMessage = System.nanoTime();
            }
            return End.INTERRUPTED;
        } catch (WakeupException e) {
            return End.INTERRUPTED;
        } finally {
            printer.flush();
            commitAtExit(offsets);
        }
    }

    public long messages() {
        return messages;
    }

    public long bytes() {
        return bytes;
    }

    /** Asks the loop to stop (from another thread): wakes the consumer out of poll; returns at once. */
    public void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    private Duration pollTime(long lastMessage) {
        if (timeout == null) {
            return MAX_POLL;
        }
        long left = timeout.toNanos() - (System.nanoTime() - lastMessage);
        return Duration.ofNanos(Math.max(0, Math.min(left, MAX_POLL.toNanos())));
    }

    private void commitAtExit(Offsets offsets) {
        try {
            offsets.commitNow();
        } catch (WakeupException e) {
            // The wake-up from Ctrl-C can land here instead of in poll; it is used up now, so try again.
            offsets.commitNow();
        }
    }
}
