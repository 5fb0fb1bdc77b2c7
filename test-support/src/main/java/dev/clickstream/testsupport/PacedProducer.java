package dev.clickstream.testsupport;

import dev.clickstream.common.kafka.KafkaEndpoint;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends values in a background thread at a steady rate, so a test can crash, stop or scale the
 * consumer side while events keep arriving. Idempotent and acks=all: every value lands exactly once.
 */
public final class PacedProducer implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private PacedProducer(KafkaEndpoint endpoint, String topic, List<String> values, int perSecond) {
        thread = new Thread(() -> run(endpoint, topic, values, perSecond), "paced-producer");
        thread.setDaemon(true);
        thread.start();
    }

    public static PacedProducer start(KafkaEndpoint endpoint, String topic, List<String> values, int perSecond) {
        return new PacedProducer(endpoint, topic, values, perSecond);
    }

    private void run(KafkaEndpoint endpoint, String topic, List<String> values, int perSecond) {
        Properties p = endpoint.clientProperties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        p.put("delivery.timeout.ms", "300000");
        p.put("max.block.ms", "300000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            long start = System.nanoTime();
            int chunk = Math.max(1, perSecond / 20);
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, values.get(i)), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        acknowledged.incrementAndGet();
                    }
                });
                if ((i + 1) % chunk == 0) {
                    long due = start + TimeUnit.SECONDS.toNanos(i + 1) / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for a result
                    }
                }
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Waits until every value is sent and acknowledged; fails on a send error. */
    public void await(long timeoutMillis) throws InterruptedException {
        thread.join(timeoutMillis);
        if (thread.isAlive()) {
            throw new AssertionError("the producer did not finish within " + timeoutMillis + " ms");
        }
        if (failure.get() != null) {
            throw new AssertionError("producing failed", failure.get());
        }
    }

    public boolean done() {
        return !thread.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        thread.join(60_000);
    }
}
