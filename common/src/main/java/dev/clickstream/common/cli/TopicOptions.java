package dev.clickstream.common.cli;

import dev.clickstream.common.profile.ConnectionProfile;
import picocli.CommandLine.Option;

/** The events topic, with the original demo's {@code -topic} spelling beside {@code --topic}. */
public class TopicOptions {
    @Option(names = {"-topic", "--topic"}, paramLabel = "NAME",
            description = "Topic (default: the profile's, else " + ConnectionProfile.DEFAULT_TOPIC + ").")
    String topic;

    /** The flag's topic; else the profile's when the profile gives the broker; else the demo's default. */
    public String resolve(KafkaOptions kafka, StateOptions state) {
        if (topic != null) {
            return topic;
        }
        return kafka.brokerGiven() ? ConnectionProfile.DEFAULT_TOPIC : state.loadProfile().topicOrDefault();
    }
}
