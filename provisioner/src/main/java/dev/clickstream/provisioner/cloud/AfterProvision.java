package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.profile.ConnectionProfile;

import java.io.PrintWriter;

/**
 * What {@code up --cloud} does once the clusters answer, the profile is written and the topic exists:
 * apply the Kafka-engine SQL over HTTPS (the profile's https_port and ca_file).
 */
@FunctionalInterface
public interface AfterProvision {

    void apply(ConnectionProfile profile, PrintWriter out);

    /** Does nothing yet. */
    AfterProvision NONE = (profile, out) -> {
    };

    /**
     * The step {@code up --cloud} runs. PLUG IN HERE: the SQL apply of {@code clickstream sql apply}
     * (package dev.clickstream.provisioner.sql), called with the freshly written cloud profile.
     */
    AfterProvision DEFAULT = NONE;
}
