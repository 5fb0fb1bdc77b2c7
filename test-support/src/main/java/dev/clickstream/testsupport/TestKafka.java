package dev.clickstream.testsupport;

import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.stack.process.Deadline;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Plain Kafka clients for tests that check the stack or feed it from the outside. */
public final class TestKafka {
    private TestKafka() {
    }

    /** Sends each value as one message, round-robin over partitions, and waits until all are acknowledged. */
    public static void produce(KafkaEndpoint endpoint, String topic, List<String> values) {
        Properties p = endpoint.clientProperties();
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("max.block.ms", "20000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (String v : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, v)));
            }
            producer.flush();
            for (var f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    /** Reads from the beginning with a fresh group until {@code expected} values arrived or time ran out. */
    public static List<String> consume(KafkaEndpoint endpoint, String topic, int expected, Duration timeout) {
        Properties p = endpoint.clientProperties();
        p.put("group.id", "it-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Deadline.in(timeout).until(Duration.ZERO, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
                return values.size() >= expected;
            });
        }
        return values;
    }
}
