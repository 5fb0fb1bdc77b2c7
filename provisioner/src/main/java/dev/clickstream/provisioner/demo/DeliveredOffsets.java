package dev.clickstream.provisioner.demo;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How far a delivery path got, read from Kafka: both paths commit their consumer group's offsets only
 * after the rows are in ClickHouse, so a group whose committed offsets reach the topic's end has
 * delivered everything produced before. The same test serves the engine (no offsets in its 18.16 table)
 * and the transfer.
 */
final class DeliveredOffsets implements AutoCloseable {
    private final Admin admin;
    private final String topic;

    DeliveredOffsets(KafkaEndpoint endpoint, String topic) {
        this.admin = KafkaPreflight.admin(endpoint, Duration.ofSeconds(20));
        this.topic = topic;
    }

    /** The end offset of every partition of the topic. */
    Map<Integer, Long> ends() {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic)
                    .partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<Integer, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(20, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp.partition(),
                    info.offset()));
            return ends;
        } catch (Exception e) {
            throw new UserFacingException("cannot read the end offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    /** Messages of {@code [from, to)} per partition that the group has committed past. */
    long delivered(String group, Map<Integer, Long> from, Map<Integer, Long> to) {
        Map<Integer, Long> committed = committed(group);
        long n = 0;
        for (var e : to.entrySet()) {
            long start = from.getOrDefault(e.getKey(), 0L);
            long done = Math.min(committed.getOrDefault(e.getKey(), 0L), e.getValue());
            n += Math.max(0, done - start);
        }
        return n;
    }

    private Map<Integer, Long> committed(String group) {
        try {
            Map<Integer, Long> offsets = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            all.forEach((tp, o) -> {
                if (tp.topic().equals(topic) && o != null) {
                    offsets.put(tp.partition(), o.offset());
                }
            });
            return offsets;
        } catch (Exception e) {
            throw new UserFacingException("cannot read the offsets of consumer group " + group + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
