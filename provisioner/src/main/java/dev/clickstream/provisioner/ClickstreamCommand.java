package dev.clickstream.provisioner;

import dev.clickstream.transfer.TransferCommand;
import dev.clickstream.consumer.ConsumerCommand;
import dev.clickstream.producer.ProducerCommand;
import dev.clickstream.provisioner.analytics.AnalyticsCommand;
import dev.clickstream.provisioner.dashboard.DashboardCommand;
import dev.clickstream.provisioner.demo.DemoCommand;
import dev.clickstream.provisioner.sql.SqlCommand;
import dev.clickstream.provisioner.stack.DownCommand;
import dev.clickstream.provisioner.stack.LogsCommand;
import dev.clickstream.provisioner.stack.StatusCommand;
import dev.clickstream.provisioner.stack.UpCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command: lists the subcommands with one line each. */
@Command(name = "clickstream",
        mixinStandardHelpOptions = true,
        description = "Realtime clickstream analytics on Kafka and ClickHouse: a local stack, a producer and a "
                + "consumer, two delivery paths into ClickHouse, analytics.",
        subcommands = {
                DemoCommand.class,
                UpCommand.class,
                DownCommand.class,
                StatusCommand.class,
                LogsCommand.class,
                ProducerCommand.class,
                ConsumerCommand.class,
                SqlCommand.class,
                TransferCommand.class,
                AnalyticsCommand.class,
                DashboardCommand.class,
                CompletionCommand.class,
        },
        footer = {"", "Start with: ./clickstream demo   (a local stack, events, rows in ClickHouse; ./clickstream down stops it)",
                "Each command has --help."})
public final class ClickstreamCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
