package dev.clickstream.testsupport;

import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.stack.process.Deadline;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clients' SCRAM-SHA-512 settings (Kafka's own SASL client) against the broker's SCRAM listeners: an admin
 * client, a producer and a consumer authenticate over SASL_PLAINTEXT and SASL_SSL; a wrong password is refused with
 * Kafka's usual error.
 */
@WithLocalStack
class ScramAuthIT {

    @Test
    void admin_producer_and_consumer_authenticate_over_both_sasl_listeners(TestStack stack)
            throws Exception {
        String topic = stack.newTopic("scram", 1);
        for (KafkaEndpoint endpoint : List.of(stack.kafka("SASL_PLAINTEXT"), stack.kafka("SASL_SSL"))) {
            try (Admin admin = Admin.create(endpoint.clientProperties())) {
                assertFalse(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS).isBlank());
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
            }
            Properties p = endpoint.clientProperties();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, endpoint.securityProtocol().getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
            Properties c = endpoint.clientProperties();
            c.put("group.id", "scram-" + endpoint.securityProtocol());
            c.put("auto.offset.reset", "earliest");
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                boolean seen = Deadline.in(Duration.ofSeconds(60)).until(Duration.ZERO,
                        () -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
                assertTrue(seen, "the consumer read the topic over " + endpoint.securityProtocol());
            }
        }
    }

    @Test
    void a_wrong_password_is_refused_by_the_broker(TestStack stack) {
        KafkaEndpoint wrong = stack.kafka().withCredentials(stack.kafka().user(), "wrong-password");
        try (Admin admin = KafkaPreflight.admin(wrong, Duration.ofSeconds(20))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("Authentication failed"), e.getCause().getMessage());
        }
    }
}
