package dev.clickstream.bench;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.producer.generate.EventGenerator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A steady stream of realistic events whose ids are 1, 2, 3, ... and whose send times are kept, so a
 * probe can tell when each one became visible. user_ts is the send time.
 */
final class PacedStream implements AutoCloseable {
    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final EventGenerator generator = new EventGenerator(EventGenerator.Settings.of(7, 0).withSessions(500));
    private volatile long[] sentNanos = new long[0];

    PacedStream(KafkaEndpoint endpoint, String topic) {
        Properties p = endpoint.clientProperties();
        p.put("acks", "all");
        p.put("linger.ms", "5");
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** One event with id 0, so every path has started reading before the measured stream begins. */
    void warmUp() throws Exception {
        producer.send(new ProducerRecord<>(topic, event(0))).get(30, TimeUnit.SECONDS);
    }

    /** Sends ids 1..rate*seconds at the rate; returns when all are acknowledged. */
    void run(int rate, int seconds) throws Exception {
        int total = rate * seconds;
        long[] sent = new long[total + 1];
        sentNanos = sent;
        long start = System.nanoTime();
        for (int id = 1; id <= total; id++) {
            long due = start + TimeUnit.SECONDS.toNanos(id) / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // the stream's pace, not a wait for a result
            }
            byte[] value = event(id);
            sent[id] = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, value));
        }
        producer.flush();
    }

    /** When id was handed to the producer, or 0 when not yet. */
    long sentNanos(int id) {
        long[] s = sentNanos;
        return id < s.length ? s[id] : 0;
    }

    private byte[] event(int id) {
        ClickEvent e = generator.next();
        ClickEvent now = new ClickEvent(RFC3339.format(Instant.now()), id, e.message(), e.eventId(), e.eventType(),
                e.userId(), e.sessionId(), e.sessionSeq(), e.page(), e.url(), e.referrer(), e.device(), e.browser(),
                e.os(), e.userAgent(), e.country(), e.productId(), e.price(), e.durationMs());
        return ClickEventJson.toBytes(now);
    }

    @Override
    public void close() {
        producer.close();
    }
}
