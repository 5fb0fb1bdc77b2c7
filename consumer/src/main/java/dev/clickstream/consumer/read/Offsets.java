package dev.clickstream.consumer.read;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The group's position is what was printed, not what was fetched: offsets are committed for printed
 * messages only (every few seconds, when partitions move to another member, and at exit), so a run that
 * stops at --max-messages or on Ctrl-C lets the next run with the same group continue right after.
 */
public final class Offsets implements ConsumerRebalanceListener {
    private static final long COMMIT_INTERVAL_NANOS = 5_000_000_000L;

    private final Consumer<?, ?> consumer;
    private final boolean fromBeginning;
    private final Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
    private boolean rewound;
    private long lastCommitNanos = System.nanoTime();

    /** With {@code fromBeginning} the first assignment starts at the beginning, whatever the group committed. */
    public Offsets(Consumer<?, ?> consumer, boolean fromBeginning) {
        this.consumer = consumer;
        this.fromBeginning = fromBeginning;
    }

    /** Marks a message of {@code partition} at {@code offset} as printed. */
    public void printed(TopicPartition partition, long offset) {
        pending.put(partition, new OffsetAndMetadata(offset + 1));
    }

    /** Commits in the background when the last commit is a few seconds old. */
    public void maybeCommit() {
        long now = System.nanoTime();
        if (!pending.isEmpty() && now - lastCommitNanos >= COMMIT_INTERVAL_NANOS) {
            consumer.commitAsync(Map.copyOf(pending), null);
            pending.clear();
            lastCommitNanos = now;
        }
    }

    /** Commits everything printed and waits for the answer. */
    public void commitNow() {
        if (!pending.isEmpty()) {
            consumer.commitSync(Map.copyOf(pending));
            pending.clear();
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndMetadata o = pending.remove(p);
            if (o != null) {
                leaving.put(p, o);
            }
        }
        if (!leaving.isEmpty()) {
            consumer.commitSync(leaving);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (fromBeginning && !rewound) {
            consumer.seekToBeginning(partitions);
            rewound = true;
        }
    }
}
