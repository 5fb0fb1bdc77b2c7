package dev.clickstream.common.kafka;

import dev.clickstream.common.error.UserFacingException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Talks to the cluster once before real work starts, so a wrong password, a wrong CA or an unreachable
 * broker ends in one clear line within a deadline instead of a client retrying forever.
 */
public final class KafkaPreflight {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private KafkaPreflight() {
    }

    public static Admin admin(KafkaEndpoint endpoint, Duration timeout) {
        Properties p = endpoint.clientProperties();
        int ms = (int) timeout.toMillis();
        p.put("request.timeout.ms", String.valueOf(Math.min(ms, 15_000)));
        p.put("default.api.timeout.ms", String.valueOf(ms));
        p.put("client.id", "clickstream-admin");
        return Admin.create(p);
    }

    /** Returns the cluster id, or throws a {@link UserFacingException} that says what went wrong. */
    public static String check(KafkaEndpoint endpoint, Duration timeout) {
        try (Admin admin = admin(endpoint, timeout)) {
            return check(admin, endpoint, timeout);
        }
    }

    public static String check(Admin admin, KafkaEndpoint endpoint, Duration timeout) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw explain(e, endpoint, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while connecting to Kafka at " + endpoint.describe());
        }
    }

    /** Describes a topic, or empty when it does not exist. */
    public static Optional<TopicDescription> describeTopic(Admin admin, KafkaEndpoint endpoint, String topic,
                                                           Duration timeout) {
        try {
            Map<String, TopicDescription> all = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.ofNullable(all.get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw explain(e, endpoint, timeout);
        } catch (TimeoutException e) {
            throw explain(e, endpoint, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while describing topic " + topic);
        }
    }

    /** Turns a client failure into the one line a user needs. */
    public static UserFacingException explain(Throwable failure, KafkaEndpoint endpoint, Duration timeout) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SaslAuthenticationException) {
            return new UserFacingException("Kafka at " + endpoint.bootstrapServers() + " refused the credentials of user '"
                    + endpoint.user() + "' (" + endpoint.saslMechanism() + "): check -user/-password or the profile", cause);
        }
        if (cause instanceof SslAuthenticationException) {
            return new UserFacingException("TLS handshake with Kafka at " + endpoint.bootstrapServers() + " failed ("
                    + rootMessage(cause) + "): check --ca-file and --security-protocol", cause);
        }
        if (cause instanceof AuthenticationException) {
            return new UserFacingException("Kafka at " + endpoint.bootstrapServers() + " rejected the connection: "
                    + rootMessage(cause), cause);
        }
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new UserFacingException("cannot reach Kafka at " + endpoint.describe() + " within "
                    + timeout.toSeconds() + " s: is the broker running and is the address and security protocol right?",
                    cause);
        }
        return new UserFacingException("Kafka at " + endpoint.describe() + ": " + rootMessage(cause), cause);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
