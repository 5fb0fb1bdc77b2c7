package dev.clickstream.provisioner.stack;

import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.provisioner.cloud.AfterProvision;
import dev.clickstream.provisioner.cloud.CloudStatus;
import dev.clickstream.provisioner.cloud.CloudUp;
import dev.clickstream.provisioner.cloud.CloudUpOptions;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.cluster.ClusterShape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Starts the local stack: a real Kafka broker and a real ClickHouse server on 127.0.0.1; or, with
 * {@code --cloud}, managed ones through Terraform.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        header = "Start the local stack (Kafka + ClickHouse on 127.0.0.1), or a cloud one (--cloud), and write the"
                + " connection profile.",
        description = "Start a local stack: a real Kafka broker (KRaft, SCRAM-SHA-512 user admin) and a real "
                + "ClickHouse server (user admin), both on 127.0.0.1, and write the connection profile. "
                + "Running it on a running stack changes nothing.%n%n"
                + "With --cloud: terraform init and apply on terraform/<cloud> (Aiven or DoubleCloud managed Kafka and"
                + " ClickHouse, reachable from this machine's public address only), then the profile from its outputs,"
                + " the topic, and a check of both endpoints. The services cost money until `down --cloud`.")
public final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions state;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = ConnectionProfile.DEFAULT_TOPIC,
            description = "Topic to create (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions of that topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "90s", converter = DurationConverter.class,
            description = "How long to wait for both services (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--random-ports", description = "Use random free ports instead of 9092/8123 and friends.")
    boolean randomPorts;

    @Option(names = "--cluster", paramLabel = "SHARDSxREPLICAS", description = "A local ClickHouse cluster instead "
            + "of one server: e.g. 1x2 (two replicas), 2x1 (two shards), 2x2; with one ZooKeeper, macros {shard} "
            + "and {replica}, and the remote_servers cluster '" + ClusterShape.NAME + "', which the profile names "
            + "(sql apply then creates Replicated tables ON CLUSTER). Fixed at the stack's first up.")
    String cluster;

    @Mixin
    CloudUpOptions cloud;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (partitions < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--partitions must be at least 1");
        }
        if (cloud.requested()) {
            if (randomPorts || cluster != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), (randomPorts ? "--random-ports"
                        : "--cluster") + " applies to the local stack only, not with --cloud");
            }
            new CloudUp(state.stateDir(), cloud, out, AfterProvision.DEFAULT).up(topic, partitions, timeout);
            return 0;
        }
        cloud.strayOption().ifPresent(option -> {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + " needs --cloud");
        });
        CloudStatus.profileIn(state.stateDir().resolve(ProfileStore.FILE_NAME)).ifPresent(p -> {
            throw new UserFacingException(state.stateDir() + " holds the profile of the stack on " + p.target() + ":"
                    + " `./clickstream down --cloud` destroys it, or start the local stack with another --state-dir");
        });
        LocalStack stack = new LocalStack(state.stateDir());
        ClusterShape shape = null;
        if (cluster != null) {
            try {
                shape = ClusterShape.parse(cluster);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--cluster: " + e.getMessage());
            }
        }
        LocalStack.UpOptions options = new LocalStack.UpOptions(topic, partitions, !randomPorts, timeout, shape);
        LocalStack.UpOutcome outcome = stack.up(options, out);
        if (outcome == LocalStack.UpOutcome.STARTED) {
            out.println();
            out.println("Connection profile: " + stack.profileFile() + " (mode 0600, holds the passwords)");
            out.println("Logs:               ./clickstream logs kafka | ./clickstream logs clickhouse"
                    + (shape == null ? "" : " | ./clickstream logs zookeeper | ./clickstream logs "
                    + ClusterShape.serviceName(shape.replicas() > 1 ? 1 : 2, shape.replicas() > 1 ? 2 : 1)));
        }
        out.println();
        out.println("Next:");
        out.println("  ./clickstream status");
        out.println("  ./clickstream down            # stop; add --purge to delete data");
        out.flush();
        return 0;
    }
}
