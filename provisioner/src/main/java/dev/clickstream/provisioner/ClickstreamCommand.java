package dev.clickstream.provisioner;

import dev.clickstream.provisioner.analytics.AnalyticsCommand;
import dev.clickstream.provisioner.dashboard.DashboardCommand;
import dev.clickstream.provisioner.sql.SqlCommand;
import dev.clickstream.provisioner.stack.DownCommand;
import dev.clickstream.provisioner.stack.LogsCommand;
import dev.clickstream.provisioner.stack.StatusCommand;
import dev.clickstream.provisioner.stack.UpCommand;
import dev.clickstream.transfer.TransferCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands with one line each. */
@Command(name = "clickstream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Realtime clickstream analytics on Kafka and ClickHouse: a local stack, a producer and a "
                + "consumer, two delivery paths into ClickHouse, analytics.",
        subcommands = {
                UpCommand.class,
                DownCommand.class,
                StatusCommand.class,
                LogsCommand.class,
                SqlCommand.class,
                TransferCommand.class,
                AnalyticsCommand.class,
                DashboardCommand.class,
        },
        footer = {"", "Start with: ./clickstream up   (then ./clickstream status, ./clickstream down)",
                "Each command has --help."})
public final class ClickstreamCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
