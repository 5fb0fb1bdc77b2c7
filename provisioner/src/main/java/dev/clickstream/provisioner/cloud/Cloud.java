package dev.clickstream.provisioner.cloud;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The managed services {@code up --cloud} can create: each is a root module under {@code terraform/} whose
 * variables differ a little. Lower-case constants so picocli accepts what users type.
 */
public enum Cloud {
    aiven("project", "topic_partitions", "the Aiven project to create the services in (`avn project list`)"),
    doublecloud("project_id", null, "the DoubleCloud project id");

    private final String projectVariable;
    private final String partitionsVariable;
    private final String projectHint;

    Cloud(String projectVariable, String partitionsVariable, String projectHint) {
        this.projectVariable = projectVariable;
        this.partitionsVariable = partitionsVariable;
        this.projectHint = projectHint;
    }

    /** The profile's {@code target}: the same word. */
    public String target() {
        return name();
    }

    String projectHint() {
        return projectHint;
    }

    /** The module's input variables for one run; the topic is created by the module only where it has a partitions variable. */
    Map<String, String> variables(String project, PublicAddresses.Found addresses, String topic, int partitions) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put(projectVariable, project);
        vars.put("my_ip", addresses.ipv4());
        vars.put("my_ipv6", addresses.ipv6() == null ? "" : addresses.ipv6());
        vars.put("topic", topic);
        if (partitionsVariable != null) {
            vars.put(partitionsVariable, Integer.toString(partitions));
        }
        return vars;
    }

    String projectOf(Map<String, String> variables) {
        return variables.get(projectVariable);
    }

    String projectVariable() {
        return projectVariable;
    }

    /** The cloud a profile's target names, or null for a local (or unknown) target. */
    public static Cloud ofTarget(String target) {
        for (Cloud c : values()) {
            if (c.target().equals(target)) {
                return c;
            }
        }
        return null;
    }
}
