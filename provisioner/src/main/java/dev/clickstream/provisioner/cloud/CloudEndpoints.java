package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.stack.process.Deadline;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the cloud path asks of the two services, through the same clients every tool uses: is Kafka there
 * (cluster id), does the topic exist (else create it), which ClickHouse answers.
 */
final class CloudEndpoints {
    static final Duration CHECK_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(3);

    /** A topic as found or created: whether this call created it, and its partition count. */
    record Topic(String name, boolean created, int partitions) {
    }

    private CloudEndpoints() {
    }

    /** The cluster id; freshly created services may need a while (DNS, IP filters), so retries until {@code wait} ends. */
    static String awaitKafka(KafkaEndpoint endpoint, Duration wait) {
        return retry(wait, () -> KafkaPreflight.check(endpoint, CHECK_TIMEOUT));
    }

    static String awaitClickHouse(ClickHouseEndpoint endpoint, Duration wait) {
        return retry(wait, () -> clickHouseVersion(endpoint));
    }

    static String clickHouseVersion(ClickHouseEndpoint endpoint) {
        try (ClickHouse ch = ClickHouse.connect(endpoint, CHECK_TIMEOUT, CHECK_TIMEOUT)) {
            return ch.version().text();
        }
    }

    /** Creates the topic with the cluster's default replication unless it exists (a module may have created it). */
    static Topic ensureTopic(KafkaEndpoint endpoint, String topic, int partitions) {
        try (Admin admin = KafkaPreflight.admin(endpoint, CHECK_TIMEOUT)) {
            Optional<TopicDescription> existing = KafkaPreflight.describeTopic(admin, endpoint, topic, CHECK_TIMEOUT);
            if (existing.isPresent()) {
                return new Topic(topic, false, existing.get().partitions().size());
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all()
                        .get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return new Topic(topic, true, partitions);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    return new Topic(topic, false, partitions);
                }
                throw new UserFacingException("cannot create topic " + topic + " on " + endpoint.describe() + ": "
                        + KafkaPreflight.explain(e, endpoint, CHECK_TIMEOUT).getMessage(), e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw KafkaPreflight.explain(e, endpoint, CHECK_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserFacingException("interrupted while creating topic " + topic, e);
            }
        }
    }

    /** A topic's partitions and messages (end minus start offsets over its partitions). */
    record TopicContents(int partitions, long messages) {
    }

    /** The topic's contents, or empty when it does not exist. */
    static Optional<TopicContents> contents(KafkaEndpoint endpoint, String topic) {
        try (Admin admin = KafkaPreflight.admin(endpoint, CHECK_TIMEOUT)) {
            Optional<TopicDescription> d = KafkaPreflight.describeTopic(admin, endpoint, topic, CHECK_TIMEOUT);
            if (d.isEmpty()) {
                return Optional.empty();
            }
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            d.get().partitions().forEach(p -> {
                earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
            });
            var start = admin.listOffsets(earliest).all().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            var end = admin.listOffsets(latest).all().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long messages = end.entrySet().stream()
                    .mapToLong(e -> e.getValue().offset() - start.get(e.getKey()).offset()).sum();
            return Optional.of(new TopicContents(d.get().partitions().size(), messages));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw KafkaPreflight.explain(e, endpoint, CHECK_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while describing topic " + topic, e);
        }
    }

    private static <T> T retry(Duration wait, Supplier<T> attempt) {
        UserFacingException[] last = new UserFacingException[1];
        return Deadline.in(wait).poll(RETRY_INTERVAL, () -> {
            try {
                return Optional.of(attempt.get());
            } catch (UserFacingException e) {
                last[0] = e;
                return Optional.<T>empty();
            }
        }).orElseThrow(() -> last[0]);
    }
}
