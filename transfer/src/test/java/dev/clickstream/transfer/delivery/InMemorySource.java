package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.source.RecordSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One consumer of a group on an {@link InMemoryTopic}, for the delivery loop's unit tests. Assignments and
 * revocations the test asks for run inside the next {@link #poll}, on the loop's thread, as Kafka runs its
 * rebalance callbacks; the future each returns completes once the callback has returned.
 */
final class InMemorySource implements RecordSource {
    private final InMemoryTopic topic;
    private final int maxRecords;
    private Assignments listener;
    private final Queue<Runnable> rebalances = new ArrayDeque<>();
    private final Set<Integer> assignment = new TreeSet<>();
    private final Set<Integer> paused = new HashSet<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private volatile boolean wakeup;
    private int positionFailures;
    private RuntimeException positionFailure;
    private volatile boolean closed;

    private final InMemoryStore.Gate gate;

    InMemorySource(InMemoryTopic topic, int maxRecords, InMemoryStore.Gate gate) {
        this.topic = topic;
        this.maxRecords = maxRecords;
        this.gate = gate;
    }

    void listener(Assignments assignments) {
        this.listener = assignments;
    }

    /** Gives the partitions to this consumer at its next poll. */
    synchronized CompletableFuture<Void> assign(Set<Integer> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        rebalances.add(() -> {
            assignment.addAll(partitions);
            partitions.forEach(p -> positions.remove(p));
            listener.assigned(new TreeSet<>(partitions));
            done.complete(null);
        });
        return done;
    }

    /** Takes the partitions away at its next poll (a rebalance, or the group evicting a member that went silent). */
    synchronized CompletableFuture<Void> revoke(Set<Integer> partitions) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        rebalances.add(() -> {
            listener.revoked(new TreeSet<>(partitions));
            assignment.removeAll(partitions);
            paused.removeAll(partitions);
            partitions.forEach(positions::remove);
            done.complete(null);
        });
        return done;
    }

    @Override
    public List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout) {
        gate.pass();
        if (wakeup) {
            wakeup = false;
            throw new WakeupException();
        }
        Runnable rebalance;
        while ((rebalance = nextRebalance()) != null) {
            rebalance.run();
        }
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p : assignment) {
            if (paused.contains(p)) {
                continue;
            }
            long position = positions.computeIfAbsent(p, this::position);
            List<ConsumerRecord<byte[], byte[]>> read = topic.read(p, position, maxRecords - records.size());
            records.addAll(read);
            if (!read.isEmpty()) {
                positions.put(p, read.get(read.size() - 1).offset() + 1);
            }
        }
        if (records.isEmpty()) {
            // A real poll waits for data up to its timeout; a short wait keeps the loop from spinning.
            LockSupport.parkNanos(Math.min(timeout.toNanos(), TimeUnit.MILLISECONDS.toNanos(2)));
        }
        return records;
    }

    private synchronized Runnable nextRebalance() {
        return rebalances.poll();
    }

    @Override
    public void seek(int partition, long offset) {
        requireAssigned(partition);
        positions.put(partition, offset);
    }

    @Override
    public void pause(Collection<Integer> partitions) {
        partitions.forEach(this::requireAssigned);
        paused.addAll(partitions);
    }

    @Override
    public void resume(Collection<Integer> partitions) {
        paused.removeAll(partitions);
    }

    @Override
    public void pauseAll() {
        paused.addAll(assignment);
    }

    @Override
    public void resumeAllBut(Set<Integer> keepPaused) {
        paused.removeIf(p -> !keepPaused.contains(p));
    }

    @Override
    public Set<Integer> assignment() {
        return new TreeSet<>(assignment);
    }

    @Override
    public void commit(Map<Integer, Long> nextOffsets) {
        commitSync(nextOffsets);
    }

    @Override
    public void commitSync(Map<Integer, Long> nextOffsets) {
        nextOffsets.forEach((p, o) -> {
            if (assignment.contains(p)) {
                topic.commit(p, o);
            }
        });
    }

    /** The next {@code times} calls of {@link #position} throw {@code failure}, as a slow broker's timeout does. */
    synchronized void failPositions(int times, RuntimeException failure) {
        positionFailures = times;
        positionFailure = failure;
    }

    @Override
    public boolean confirmMembership() {
        return true;
    }

    @Override
    public long position(int partition) {
        requireAssigned(partition);
        synchronized (this) {
            if (positionFailures > 0) {
                positionFailures--;
                throw positionFailure;
            }
        }
        Long position = positions.get(partition);
        return position != null ? position : topic.committedOrStart(partition);
    }

    @Override
    public Map<Integer, Long> endOffsets(Set<Integer> partitions) {
        Map<Integer, Long> ends = new HashMap<>();
        partitions.forEach(p -> ends.put(p, topic.end(p)));
        return ends;
    }

    @Override
    public Map<Integer, Long> beginningOffsets(Set<Integer> partitions) {
        Map<Integer, Long> starts = new HashMap<>();
        partitions.forEach(p -> starts.put(p, topic.start(p)));
        return starts;
    }

    @Override
    public void wakeup() {
        wakeup = true;
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    private void requireAssigned(int partition) {
        if (!assignment.contains(partition)) {
            throw new IllegalStateException("partition " + partition + " is not assigned to this consumer");
        }
    }
}
