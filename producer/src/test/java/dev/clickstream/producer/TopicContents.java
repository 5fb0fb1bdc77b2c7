package dev.clickstream.producer;

import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.stack.process.Deadline;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Reads a whole topic with a plain Kafka consumer, to check what the producer wrote from the outside. */
final class TopicContents {
    private TopicContents() {
    }

    /** Every message value of {@code topic}, partition by partition; waits until {@code expected} arrived. */
    static List<String> values(KafkaEndpoint endpoint, String topic, long expected) {
        Properties p = endpoint.clientProperties();
        p.put("max.poll.records", "5000");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(20))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Deadline.in(Duration.ofSeconds(60)).until(Duration.ZERO, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }

    /** How many messages {@code topic} holds (sum of its partitions' end offsets). */
    static long messageCount(KafkaEndpoint endpoint, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(endpoint.clientProperties(),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(20)).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(20));
            return ends.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The lines of packed messages, empty messages contributing none. */
    static List<String> lines(List<String> values) {
        List<String> lines = new ArrayList<>();
        for (String v : values) {
            if (!v.isEmpty()) {
                lines.addAll(List.of(v.split("\n", -1)));
            }
        }
        return lines;
    }
}
