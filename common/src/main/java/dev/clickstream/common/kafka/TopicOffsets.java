package dev.clickstream.common.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The earliest and latest offsets of every partition of some topics: what `status` counts and lag is measured from. */
public final class TopicOffsets {
    /** A partition's offsets: {@code latest - earliest} messages are there now (retention removed those before). */
    public record Span(long earliest, long latest) {
        public long messages() {
            return Math.max(0, latest - earliest);
        }
    }

    private TopicOffsets() {
    }

    /** Every partition of the topics, ordered by topic and partition. */
    public static Map<TopicPartition, Span> of(Admin admin, Collection<String> topics, Duration timeout)
            throws Exception {
        Map<TopicPartition, Span> out = new TreeMap<>(Comparator.comparing(TopicPartition::topic)
                .thenComparingInt(TopicPartition::partition));
        if (topics.isEmpty()) {
            return out;
        }
        long ms = timeout.toMillis();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(ms, TimeUnit.MILLISECONDS).values().forEach(d ->
                d.partitions().forEach(p -> {
                    TopicPartition tp = new TopicPartition(d.name(), p.partition());
                    earliest.put(tp, OffsetSpec.earliest());
                    latest.put(tp, OffsetSpec.latest());
                }));
        Map<TopicPartition, ListOffsetsResultInfo> start = admin.listOffsets(earliest).all()
                .get(ms, TimeUnit.MILLISECONDS);
        Map<TopicPartition, ListOffsetsResultInfo> end = admin.listOffsets(latest).all().get(ms, TimeUnit.MILLISECONDS);
        end.forEach((tp, last) -> out.put(tp, new Span(start.get(tp).offset(), last.offset())));
        return out;
    }
}
