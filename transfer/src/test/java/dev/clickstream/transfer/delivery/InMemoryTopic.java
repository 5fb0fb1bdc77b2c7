package dev.clickstream.transfer.delivery;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A topic's partitions and its group's committed offsets, in memory, for the delivery loop's unit tests. */
final class InMemoryTopic {
    private final String name;
    private final List<List<byte[]>> partitions = new ArrayList<>();
    private final Map<Integer, Long> committed = new HashMap<>();
    private final Map<Integer, Long> starts = new HashMap<>();
    /** auto_offset_reset for a partition the group never committed: earliest (false) or latest (true). */
    private volatile boolean resetToLatest;

    void resetToLatest(boolean latest) {
        resetToLatest = latest;
    }

    synchronized java.util.Optional<Long> committed(int partition) {
        return java.util.Optional.ofNullable(committed.get(partition));
    }

    InMemoryTopic(String name, int partitionCount) {
        this.name = name;
        for (int i = 0; i < partitionCount; i++) {
            partitions.add(new ArrayList<>());
        }
    }

    String name() {
        return name;
    }

    int partitionCount() {
        return partitions.size();
    }

    synchronized void append(int partition, String value) {
        partitions.get(partition).add(value.getBytes(StandardCharsets.UTF_8));
    }

    synchronized List<ConsumerRecord<byte[], byte[]>> read(int partition, long from, int max) {
        List<byte[]> messages = partitions.get(partition);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long o = Math.max(from, start(partition)); o < messages.size() && records.size() < max; o++) {
            records.add(new ConsumerRecord<>(name, partition, o, null, messages.get((int) o)));
        }
        return records;
    }

    /** Removes the messages below {@code offset}, as retention or delete-records does. */
    synchronized void deleteBefore(int partition, long offset) {
        starts.put(partition, offset);
    }

    synchronized long start(int partition) {
        return starts.getOrDefault(partition, 0L);
    }

    synchronized long end(int partition) {
        return partitions.get(partition).size();
    }

    synchronized void commit(int partition, long next) {
        committed.put(partition, next);
    }

    synchronized long committedOrStart(int partition) {
        Long c = committed.get(partition);
        if (c == null) {
            return resetToLatest ? end(partition) : start(partition);
        }
        return Math.max(start(partition), c);
    }
}
