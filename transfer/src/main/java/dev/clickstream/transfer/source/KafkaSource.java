package dev.clickstream.transfer.source;

import dev.clickstream.common.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka side: one consumer in the transfer's group, with auto-commit off (ClickHouse holds the
 * delivered positions; Kafka's committed offsets follow them for lag tools) and the cooperative-sticky
 * assignor, so a joining or leaving instance moves only the partitions it must.
 */
public final class KafkaSource implements RecordSource {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;

    /**
     * What the consumer reads and how.
     *
     * @param autoOffsetReset where a partition without a committed offset starts: Kafka's {@code auto.offset.reset}
     * @param maxRecords      at most this many messages a poll: a batch is checked for fullness after each poll
     */
    public record Reading(String topic, String group, String autoOffsetReset, String clientId, Duration sessionTimeout,
                          int maxRecords) {
    }

    public KafkaSource(KafkaEndpoint endpoint, Reading reading, RecordSource.Assignments assignments) {
        this.topic = reading.topic();
        Duration sessionTimeout = reading.sessionTimeout();
        int maxRecords = reading.maxRecords();
        Properties p = endpoint.clientProperties();
        p.put("group.id", reading.group());
        p.put("client.id", reading.clientId());
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", reading.autoOffsetReset());
        p.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        p.put("session.timeout.ms", Long.toString(sessionTimeout.toMillis()));
        p.put("heartbeat.interval.ms", Long.toString(Math.max(500, sessionTimeout.toMillis() / 4)));
        p.put("max.poll.interval.ms", "600000");
        p.put("max.poll.records", Integer.toString(Math.max(1, Math.min(10_000, maxRecords))));
        p.put("fetch.max.wait.ms", "100");
        // enough to keep a batch filling, small enough that a backlog does not balloon the heap
        p.put("max.partition.fetch.bytes", Integer.toString(2 << 20));
        p.put("fetch.max.bytes", Integer.toString(8 << 20));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assignments.revoked(numbers(partitions));
                }
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assignments.revoked(numbers(partitions));
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    assignmentChanges++;
                    assignments.assigned(numbers(partitions));
                }
            }
        });
    }

    private static final long POLL_SLICE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50);
    /** Assignments seen by the rebalance listener; only the loop's thread (inside poll) touches it. */
    private int assignmentChanges;

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        Set<Integer> s = new TreeSet<>();
        partitions.forEach(tp -> s.add(tp.partition()));
        return s;
    }

    private TopicPartition tp(int partition) {
        return new TopicPartition(topic, partition);
    }

    /**
     * Polls in slices of at most 50 ms, and returns as soon as records come or partitions were assigned: new
     * partitions are paused until the loop positions them, and a poll that waited out its whole timeout for them
     * would delay every start and rebalance by it (half a second when idle).
     */
    @Override
    public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        int changes = assignmentChanges;
        ConsumerRecords<byte[], byte[]> records;
        do {
            long left = Math.max(0, end - System.nanoTime());
            records = consumer.poll(Duration.ofNanos(Math.min(left, POLL_SLICE_NANOS)));
        } while (records.isEmpty() && assignmentChanges == changes && System.nanoTime() < end);
        if (records.isEmpty()) {
            return List.of();
        }
        // Partition by partition in bulk: the records' own iterator over all partitions showed as a quarter of poll's
        // time in profiles.
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
        for (TopicPartition tp : records.partitions()) {
            list.addAll(records.records(tp));
        }
        return list;
    }

    @Override
    public void seek(int partition, long offset) {
        consumer.seek(tp(partition), offset);
    }

    @Override
    public void pause(Collection<Integer> partitions) {
        consumer.pause(partitions.stream().map(this::tp).toList());
    }

    @Override
    public void resume(Collection<Integer> partitions) {
        consumer.resume(partitions.stream().map(this::tp).toList());
    }

    @Override
    public void pauseAll() {
        consumer.pause(consumer.assignment());
    }

    @Override
    public void resumeAllBut(Set<Integer> keepPaused) {
        consumer.resume(consumer.assignment().stream().filter(tp -> !keepPaused.contains(tp.partition())).toList());
    }

    @Override
    public Set<Integer> assignment() {
        return numbers(consumer.assignment());
    }

    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = owned(nextOffsets);
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, null);
        }
    }

    /** The offsets of partitions this consumer still owns: a revoked partition's position belongs to its new owner. */
    private Map<TopicPartition, OffsetAndMetadata> owned(Map<Integer, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> owned = consumer.assignment();
        nextOffsets.forEach((p, o) -> {
            if (owned.contains(tp(p))) {
                offsets.put(tp(p), new OffsetAndMetadata(o));
            }
        });
        return offsets;
    }

    @Override
    public void commitSync(Map<Integer, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = owned(nextOffsets);
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets, Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // ClickHouse holds the delivered positions; Kafka's copy is for lag tools only
            }
        }
    }

    @Override
    public boolean confirmMembership() {
        Set<TopicPartition> owned = consumer.assignment();
        if (owned.isEmpty()) {
            return true;
        }
        // Commits what the group already has (or, with nothing committed, where the consumer stands): a no-op
        // for the offsets, but the group checks the generation of a commit, which is the point.
        Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
        consumer.committed(owned, Duration.ofSeconds(5)).forEach((tp, o) -> {
            if (o != null) {
                offsets.put(tp, o);
            }
        });
        if (offsets.isEmpty()) {
            owned.forEach(tp -> offsets.put(tp, new OffsetAndMetadata(consumer.position(tp, Duration.ofSeconds(5)))));
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(5));
            return true;
        } catch (org.apache.kafka.clients.consumer.CommitFailedException
                 | org.apache.kafka.common.errors.RebalanceInProgressException e) {
            return false;
        }
    }

    @Override
    public long position(int partition) {
        return consumer.position(tp(partition), Duration.ofSeconds(5));
    }

    @Override
    public Map<Integer, Long> endOffsets(Set<Integer> partitions) {
        Map<Integer, Long> ends = new HashMap<>();
        consumer.endOffsets(partitions.stream().map(this::tp).toList(), Duration.ofSeconds(5))
                .forEach((tp, o) -> ends.put(tp.partition(), o));
        return ends;
    }

    @Override
    public Map<Integer, Long> beginningOffsets(Set<Integer> partitions) {
        Map<Integer, Long> starts = new HashMap<>();
        consumer.beginningOffsets(partitions.stream().map(this::tp).toList(), Duration.ofSeconds(5))
                .forEach((tp, o) -> starts.put(tp.partition(), o));
        return starts;
    }

    @Override
    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(10));
    }
}
