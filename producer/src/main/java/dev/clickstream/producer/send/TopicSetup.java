package dev.clickstream.producer.send;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Makes sure the topic exists before producing, as the demo did: it says whether it found or created it. */
public final class TopicSetup {
    public enum Outcome { EXISTS, CREATED }

    private TopicSetup() {
    }

    /** Creates {@code topic} with {@code partitions} partitions (and the cluster's replication factor) if missing. */
    public static Outcome ensure(Admin admin, KafkaEndpoint endpoint, String topic, int partitions, Duration timeout) {
        if (KafkaPreflight.describeTopic(admin, endpoint, topic, timeout).isPresent()) {
            return Outcome.EXISTS;
        }
        try {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Outcome.CREATED;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return Outcome.EXISTS;
            }
            throw withTopic(KafkaPreflight.explain(e, endpoint, timeout), topic);
        } catch (TimeoutException e) {
            throw withTopic(KafkaPreflight.explain(e, endpoint, timeout), topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while creating topic " + topic);
        }
    }

    private static UserFacingException withTopic(UserFacingException e, String topic) {
        return new UserFacingException("cannot create topic " + topic + ": " + e.getMessage(), e.getCause());
    }
}
