package dev.clickstream.provisioner.sql;

import dev.clickstream.common.cli.ClickHouseOptions;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ConnectionProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Creates the Kafka-engine delivery (queue table, storage table, materialized view) for the profile's clusters. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        header = "Create the Kafka-engine delivery in ClickHouse: queue table, storage table, materialized view.",
        description = "Fills in sql/" + KafkaEngineSql.TEMPLATE + " (or --file) from the connection profile, asks "
                + "the server for its version and sends what that server supports: DateTime64, the Kafka virtual "
                + "columns and an errors table on ClickHouse 21.6+, DateTime and kafka_row_delimiter on older ones "
                + "such as 18.16. ON CLUSTER and Replicated engines when the profile names a cluster. Idempotent.")
public final class SqlApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions state;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--file", paramLabel = "SQL", description = "Template to apply (default: the bundled "
            + KafkaEngineSql.TEMPLATE + ").")
    Path file;

    @Option(names = "--database", paramLabel = "NAME",
            description = "Database (default: the profile's clickhouse_connection.database, or "
                    + KafkaEngineSql.DEFAULT_DATABASE + " when that is `default`).")
    String database;

    @Option(names = "--table", paramLabel = "NAME", defaultValue = KafkaEngineSql.DEFAULT_TABLE,
            description = "Storage table; the queue, view and errors tables take it as prefix (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--topic", paramLabel = "NAME", description = "Topic (default: the profile's).")
    String topic;

    @Option(names = "--group", paramLabel = "NAME", defaultValue = KafkaEngineSql.DEFAULT_GROUP,
            description = "Consumer group of the engine (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--brokers", paramLabel = "HOST:PORT",
            description = "Broker list for the engine (default: the profile's kafka_connection.connection_string).")
    String brokers;

    @Option(names = "--consumers", paramLabel = "N", defaultValue = "1",
            description = "kafka_num_consumers (default: ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--max-block-size", paramLabel = "ROWS", defaultValue = "65536",
            description = "kafka_max_block_size: smaller means fresher rows and more parts (default: ${DEFAULT-VALUE}).")
    int maxBlockSize;

    @Option(names = "--cluster", paramLabel = "NAME",
            description = "ON CLUSTER name (default: the profile's clickhouse_connection.cluster, none locally).")
    String cluster;

    @Option(names = "--queue-table", paramLabel = "DATABASE.TABLE",
            description = "Read this existing Kafka engine table instead of creating one (e.g. the queue table of "
                    + "Aiven's clickhouse_kafka integration).")
    String queueTable;

    @Option(names = "--server-version", paramLabel = "VERSION",
            description = "Generate for this ClickHouse version instead of asking the server (with --dry-run, no "
                    + "server is needed).")
    String serverVersion;

    @Option(names = "--dry-run", description = "Print every statement instead of sending it.")
    boolean dryRun;

    @Option(names = "--drop", description = "Drop the views and tables first, then create them again (the stored "
            + "events are lost).")
    boolean drop;

    @Override
    public Integer call() {
        ConnectionProfile profile = needsProfile() ? state.loadProfile() : null;
        KafkaEngineSql sql = new KafkaEngineSql(database != null ? database : KafkaEngineSql.databaseFor(profile), table,
                brokers != null ? brokers : profile.kafkaConnection().connectionString(),
                topic != null ? topic : profile.topicOrDefault(), group, consumers, maxBlockSize,
                cluster != null ? cluster : profile == null ? null : profile.clickhouseConnection().cluster(),
                queueTable);
        String template = readTemplate(file);
        String templateName = file == null ? "sql/" + KafkaEngineSql.TEMPLATE : file.toString();
        SqlApplier applier = new SqlApplier(spec.commandLine().getOut(), spec.commandLine().getErr());
        ServerVersion version = serverVersion == null ? null : parseVersion(serverVersion);
        if (dryRun && version != null) {
            applier.print(SqlApplier.plan(templateName, template, sql, version, drop));
            return ExitCodes.OK;
        }
        applier.apply(clickhouse.resolve(state), sql, templateName, template, version, drop, dryRun);
        if (!dryRun) {
            spec.commandLine().getOut().println("Next: ./clickstream producer --message-count=1000, then "
                    + "SELECT count() FROM " + sql.database() + "." + sql.storageTable());
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    private boolean needsProfile() {
        return brokers == null || topic == null || !clickhouse.urlGiven() || cluster == null || database == null;
    }

    private static ServerVersion parseVersion(String text) {
        try {
            return ServerVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--server-version: " + e.getMessage(), ExitCodes.USAGE, e);
        }
    }

    /** The given file, or the template bundled into the launcher from sql/. */
    public static String readTemplate(Path file) {
        if (file != null) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new UserFacingException("--file: " + file + " does not exist", ExitCodes.USAGE, e);
            } catch (IOException e) {
                throw new UserFacingException("--file: cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return bundled(KafkaEngineSql.TEMPLATE);
    }

    public static String bundled(String name) {
        try (InputStream in = SqlApplyCommand.class.getResourceAsStream("/sql/" + name)) {
            if (in == null) {
                throw new IllegalStateException("sql/" + name + " is not in the launcher jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
