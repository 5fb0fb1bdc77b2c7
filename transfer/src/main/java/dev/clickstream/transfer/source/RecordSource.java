package dev.clickstream.transfer.source;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the delivery loop needs from Kafka: records of the partitions this instance owns, their positions, and the
 * group's copy of the delivered offsets. {@link KafkaSource} is the real one; the loop's unit tests use an
 * in-memory topic. Partition changes reach the loop through {@link Assignments}, from inside {@link #poll}.
 */
public interface RecordSource extends AutoCloseable {

    /** Partition changes, called from inside {@link #poll}. */
    interface Assignments {
        void assigned(Set<Integer> partitions);

        /** The partitions leave this instance; their undelivered messages are read again by the next owner. */
        void revoked(Set<Integer> partitions);
    }

    List<ConsumerRecord<byte[], byte[]>> poll(Duration timeout);

    void seek(int partition, long offset);

    void pause(Collection<Integer> partitions);

    void resume(Collection<Integer> partitions);

    void pauseAll();

    /** Resumes every partition except those still waiting to be positioned. */
    void resumeAllBut(Set<Integer> keepPaused);

    Set<Integer> assignment();

    /** Commits the next offset to read per owned partition; best effort, ClickHouse records what was delivered. */
    void commit(Map<Integer, Long> nextOffsets);

    /** The final commit on the way out; failures are fine, the next owner resumes from ClickHouse. */
    void commitSync(Map<Integer, Long> nextOffsets);

    /**
     * Asks the group whether this instance still holds its assignment, by a synchronous commit that the group
     * refuses from a member of an older generation: false while a rebalance has moved or is moving partitions.
     */
    boolean confirmMembership();

    /** Where the group says a partition without delivery history starts (committed offset or auto_offset_reset). */
    long position(int partition);

    Map<Integer, Long> endOffsets(Set<Integer> partitions);

    /** The first offset Kafka still has per partition: retention and delete-records move it up. */
    Map<Integer, Long> beginningOffsets(Set<Integer> partitions);

    /** Makes a poll in progress (or the next one) return at once; callable from any thread. */
    void wakeup();

    @Override
    void close();
}
