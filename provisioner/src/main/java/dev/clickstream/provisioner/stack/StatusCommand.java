package dev.clickstream.provisioner.stack;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.provisioner.cloud.CloudStatus;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Per service: pid, ports and health; then topics with message counts and tables with row counts. When the
 * state folder's profile points at a cloud stack, both of its endpoints are checked instead.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show pids, endpoints, health, topic message counts and table row counts.",
        description = "Show the local stack: each service's pid, endpoints and health, the topics with "
                + "their message counts and the tables with their row counts. With a cloud profile (up --cloud):"
                + " each endpoint's health. Exits 1 when not healthy.")
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions state;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LocalStack stack = new LocalStack(state.stateDir());
        Optional<ConnectionProfile> cloud = CloudStatus.profileIn(stack.profileFile());
        StackStatus status = cloud.map(CloudStatus::of).orElseGet(stack::status);
        if (json) {
            out.println(ProfileStore.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(status));
            out.flush();
            return status.healthy() ? 0 : 1;
        }
        if (status.services().isEmpty()) {
            out.println("No local stack in " + stack.stateDir() + ": start one with `./clickstream up`.");
            out.flush();
            return 1;
        }
        out.println(cloud.map(p -> "Cloud stack on " + p.target() + ", profile " + stack.profileFile())
                .orElse("Local stack in " + stack.stateDir()));
        out.println();
        out.printf("%-11s %-8s %-9s %s%n", "SERVICE", "PID", "HEALTH", "ENDPOINTS");
        for (StackStatus.Service s : status.services()) {
            String health = s.healthy() ? "healthy" : s.running() ? "UNHEALTHY" : "STOPPED";
            out.printf("%-11s %-8s %-9s %s%n", s.name(), s.pid() > 0 ? Long.toString(s.pid()) : "-", health,
                    s.endpoints().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")));
            out.printf("%-11s %-8s %-9s %s%n", "", "", "", s.detail());
        }
        if (!status.topics().isEmpty()) {
            out.println();
            table(out, "TOPIC", "MESSAGES", status.topics());
        }
        if (!status.tables().isEmpty()) {
            out.println();
            table(out, "TABLE", "ROWS", status.tables());
        }
        if (!status.healthy()) {
            out.println();
            out.println(cloud.isPresent()
                    ? "Not healthy: does the cluster still let this machine's address in? `./clickstream up --cloud "
                            + cloud.get().target() + "` applies the module again (IP filters, topic)."
                    : "Not healthy: `./clickstream logs` shows why; `./clickstream up` starts what is stopped.");
        }
        out.flush();
        return status.healthy() ? 0 : 1;
    }

    private static void table(PrintWriter out, String left, String right, Map<String, Long> rows) {
        int width = Math.max(left.length(), rows.keySet().stream().mapToInt(String::length).max().orElse(0)) + 2;
        out.printf("%-" + width + "s %s%n", left, right);
        rows.forEach((k, v) -> out.printf("%-" + width + "s %s%n", k, v < 0 ? "-" : v));
    }
}
