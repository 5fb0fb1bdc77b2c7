package dev.clickstream.consumer;

import dev.clickstream.common.kafka.KafkaEndpoint;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Properties;

/** Writes test messages with a plain Kafka producer, so the consumer is checked against known input. */
final class TopicWriter {
    private TopicWriter() {
    }

    /** Sends {@code values} in order to partition {@code partition} of {@code topic}. */
    static void write(KafkaEndpoint endpoint, String topic, int partition, List<String> values) {
        Properties p = endpoint.clientProperties();
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, partition, null, v));
            }
            producer.flush();
        }
    }
}
