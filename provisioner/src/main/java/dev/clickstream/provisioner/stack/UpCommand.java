package dev.clickstream.provisioner.stack;

import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Starts the local stack: a real Kafka broker and a real ClickHouse server on 127.0.0.1. */
@Command(name = "up", mixinStandardHelpOptions = true,
        header = "Start the local stack (Kafka + ClickHouse on 127.0.0.1) and write the connection profile.",
        description = "Start a local stack: a real Kafka broker (KRaft, SCRAM-SHA-512 user admin) and a real "
                + "ClickHouse server (user admin), both on 127.0.0.1, and write the connection profile. "
                + "Running it on a running stack changes nothing.")
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (partitions < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--partitions must be at least 1");
        }
        LocalStack stack = new LocalStack(state.stateDir());
        LocalStack.UpOptions options = new LocalStack.UpOptions(topic, partitions, !randomPorts, timeout);
        LocalStack.UpOutcome outcome = stack.up(options, out);
        if (outcome == LocalStack.UpOutcome.STARTED) {
            out.println();
            out.println("Connection profile: " + stack.profileFile() + " (mode 0600, holds the passwords)");
            out.println("Logs:               ./clickstream logs kafka | ./clickstream logs clickhouse");
        }
        out.println();
        out.println("Next:");
        out.println("  ./clickstream status");
        out.println("  ./clickstream down            # stop; add --purge to delete data");
        out.flush();
        return 0;
    }
}
