package dev.clickstream.producer.send;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.kafka.KafkaEndpoint;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;

/**
 * Sends messages to a topic without losing any: idempotent, acks from all in-sync replicas, and counts
 * that only grow when Kafka acknowledges. Batching settings are those of the benchmark's reference run
 * of Kafka's own perf tool; {@code -X key=value} overrides any of them.
 */
public final class KafkaSink implements MessageSink {
    /** Settings the producer starts from, before the user's overrides. */
    public static final Map<String, String> DEFAULTS = Map.of(
            "acks", "all",
            "enable.idempotence", "true",
            "linger.ms", "5",
            "batch.size", "262144",
            "compression.type", "lz4",
            "client.id", "clickstream-producer");

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Delivery delivery = new Delivery();
    private volatile Exception sendFailure;

    public KafkaSink(KafkaEndpoint endpoint, String topic, Map<String, String> overrides) {
        this.topic = topic;
        Properties p = endpoint.clientProperties();
        p.putAll(DEFAULTS);
        p.putAll(overrides);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void onAcknowledged(LongConsumer listener) {
        delivery.onAcknowledged(listener);
    }

    @Override
    public void send(ByteSink value, int events, int malformed) {
        byte[] bytes = value.toByteArray();
        try {
            producer.send(new ProducerRecord<>(topic, bytes), delivery.callback(events, malformed, bytes.length));
        } catch (KafkaException e) {
            sendFailure = e;
        }
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public Delivery.Totals totals() {
        return delivery.totals();
    }

    @Override
    public Exception failure() {
        Exception f = delivery.firstFailure();
        return f != null ? f : sendFailure;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
