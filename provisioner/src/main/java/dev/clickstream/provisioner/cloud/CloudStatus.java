package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.common.profile.Secrets;
import dev.clickstream.stack.StackStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code clickstream status} for a profile that points at a cloud stack: both endpoints are asked once
 * (Kafka's cluster id, ClickHouse's version), through the clients the tools use. Passwords only masked.
 */
public final class CloudStatus {
    private CloudStatus() {
    }

    public static boolean isCloud(ConnectionProfile profile) {
        return profile.target() != null && !profile.isLocal();
    }

    /** The profile of a cloud stack, if the file holds one; a local or unreadable profile means the local stack. */
    public static Optional<ConnectionProfile> profileIn(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProfileStore.load(file)).filter(CloudStatus::isCloud);
        } catch (UserFacingException e) {
            return Optional.empty();
        }
    }

    public static StackStatus of(ConnectionProfile profile) {
        Map<String, Long> topics = new TreeMap<>();
        StackStatus.Service kafka = kafka(profile, topics);
        StackStatus.Service clickhouse = clickhouse(profile);
        return new StackStatus(List.of(kafka, clickhouse), topics, Map.of());
    }

    private static StackStatus.Service kafka(ConnectionProfile profile, Map<String, Long> topics) {
        KafkaEndpoint endpoint = KafkaEndpoint.of(profile.kafkaConnection());
        Map<String, String> endpoints = Map.of(endpoint.securityProtocol(), endpoint.bootstrapServers());
        String login = endpoint.usesSasl() ? endpoint.saslMechanism() + " user '" + endpoint.user() + "' (password "
                + Secrets.mask(endpoint.password()) + ")" : "no login";
        try {
            String clusterId = KafkaPreflight.check(endpoint, CloudEndpoints.CHECK_TIMEOUT);
            String topic = profile.topicOrDefault();
            Optional<CloudEndpoints.TopicContents> contents = CloudEndpoints.contents(endpoint, topic);
            contents.ifPresent(c -> topics.put(topic, c.messages()));
            String topicDetail = contents.map(c -> "topic " + topic + ": " + c.partitions() + " partitions")
                    .orElse("topic " + topic + " MISSING (`./clickstream up --cloud` creates it)");
            return new StackStatus.Service("kafka", 0, true, contents.isPresent(), endpoints,
                    "cluster id " + clusterId + ", " + login + ", " + topicDetail);
        } catch (UserFacingException e) {
            return new StackStatus.Service("kafka", 0, true, false, endpoints, e.getMessage());
        }
    }

    private static StackStatus.Service clickhouse(ConnectionProfile profile) {
        ClickHouseEndpoint endpoint = ClickHouseEndpoint.of(profile.clickhouseConnection());
        Map<String, String> endpoints = Map.of(endpoint.url().startsWith("https") ? "HTTPS" : "HTTP", endpoint.url());
        try {
            String version = CloudEndpoints.clickHouseVersion(endpoint);
            return new StackStatus.Service("clickhouse", 0, true, true, endpoints, "ClickHouse " + version + ", user '"
                    + endpoint.user() + "' (password " + Secrets.mask(endpoint.password()) + ")");
        } catch (UserFacingException e) {
            return new StackStatus.Service("clickhouse", 0, true, false, endpoints, e.getMessage());
        }
    }
}
