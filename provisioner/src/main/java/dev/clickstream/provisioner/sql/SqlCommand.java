package dev.clickstream.provisioner.sql;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Groups the SQL commands. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        header = "Apply the Kafka-engine SQL to ClickHouse (sql apply).",
        description = "SQL for the ClickHouse side of the pipeline.",
        subcommands = {SqlApplyCommand.class})
public final class SqlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
