package dev.clickstream.provisioner.stack;

import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.clickstream.provisioner.delivery.EngineDelivery;
import dev.clickstream.provisioner.cloud.CloudStatus;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.StackStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Per service: pid, ports and health; then topics with message counts and tables with row counts. When the
 * state folder's profile points at a cloud stack, both of its endpoints are checked instead.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        header = "Show pids, endpoints, health, topic and table counts, and the Kafka engine's lag.",
        description = "Show the local stack: each service's pid, endpoints and health, the topics with "
                + "their message counts, the tables with their row counts, and the Kafka engine's delivery: its consumer "
                + "group's committed and end offsets and lag per partition, and the rows of its errors table. With a cloud profile (up --cloud):"
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
        EngineDelivery engine = status.healthy() ? engineDelivery(cloud.or(() -> localProfile(stack))) : null;
        if (json) {
            out.println(ProfileStore.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(new Report(status, engine)));
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
        out.printf("%-15s %-8s %-9s %s%n", "SERVICE", "PID", "HEALTH", "ENDPOINTS");
        for (StackStatus.Service s : status.services()) {
            String health = s.healthy() ? "healthy" : s.running() ? "UNHEALTHY" : "STOPPED";
            out.printf("%-15s %-8s %-9s %s%n", s.name(), s.pid() > 0 ? Long.toString(s.pid()) : "-", health,
                    s.endpoints().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")));
            out.printf("%-15s %-8s %-9s %s%n", "", "", "", s.detail());
        }
        if (!status.topics().isEmpty()) {
            out.println();
            table(out, "TOPIC", "MESSAGES", status.topics());
        }
        if (!status.tables().isEmpty()) {
            out.println();
            table(out, "TABLE", "ROWS", status.tables());
        }
        if (engine != null) {
            out.println();
            printEngine(out, engine);
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

    /** What {@code status --json} prints: the stack's fields, then the Kafka engine's delivery. */
    record Report(@JsonUnwrapped StackStatus stack, @JsonProperty("engine_delivery") EngineDelivery engine) {
    }

    private static Optional<ConnectionProfile> localProfile(LocalStack stack) {
        return Files.isRegularFile(stack.profileFile()) ? Optional.of(ProfileStore.load(stack.profileFile()))
                : Optional.empty();
    }

    private static EngineDelivery engineDelivery(Optional<ConnectionProfile> profile) {
        if (profile.isEmpty()) {
            return null;
        }
        try (ClickHouse ch = ClickHouse.connect(ClickHouseEndpoint.of(profile.get().clickhouseConnection()))) {
            return EngineDelivery.probe(KafkaEndpoint.of(profile.get().kafkaConnection()), ch);
        }
    }

    private static void printEngine(PrintWriter out, EngineDelivery e) {
        if (!e.inUse() && e.problem() == null) {
            out.println("Kafka engine: not set up (no Kafka engine table): `./clickstream sql apply` sets it up.");
        }
        for (EngineDelivery.Queue q : e.queues()) {
            out.println("Kafka engine " + q.table() + ": group " + q.group() + ", topic " + String.join(",", q.topics())
                    + ", lag " + q.lag() + (q.errors() == null ? "" : ", " + q.errors() + " rows in its errors table"));
            int width = Math.max(5, q.partitions().stream().mapToInt(p -> p.topic().length()).max().orElse(0)) + 2;
            out.printf("  %-" + width + "s %-9s %-10s %-10s %s%n", "TOPIC", "PARTITION", "COMMITTED", "END", "LAG");
            for (EngineDelivery.Partition p : q.partitions()) {
                out.printf("  %-" + width + "s %-9d %-10s %-10d %d%n", p.topic(), p.partition(),
                        p.committed() < 0 ? "-" : Long.toString(p.committed()), p.end(), p.lag());
            }
        }
        if (e.problem() != null) {
            out.println("Kafka engine: incomplete, " + e.problem());
        }
    }

    private static void table(PrintWriter out, String left, String right, Map<String, Long> rows) {
        int width = Math.max(left.length(), rows.keySet().stream().mapToInt(String::length).max().orElse(0)) + 2;
        out.printf("%-" + width + "s %s%n", left, right);
        rows.forEach((k, v) -> out.printf("%-" + width + "s %s%n", k, v < 0 ? "-" : v));
    }
}
