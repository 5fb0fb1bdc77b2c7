package dev.clickstream.transfer;

import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.cli.LogFormatOption;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.shard.DistributedTable;
import dev.clickstream.transfer.sink.TransferDdl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Runs the delivery service until SIGTERM / Ctrl-C. */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        header = "Deliver a topic into ClickHouse exactly once: parse, batch, insert; unparsed lines kept; /metrics.",
        description = "Reads the topic of the config's source in its consumer group, parses each line of each message "
                + "by the JSON parser schema, and writes batches to the target table (created when missing) and the "
                + "lines that do not parse to <table>_unparsed. Offsets are kept with the data in ClickHouse, so a "
                + "crash, a restart, a ClickHouse outage or a rebalance delivers every line once. Start more "
                + "instances with the same config to share the partitions. Stops cleanly on SIGTERM or Ctrl-C.",
        footer = {"", "Example:", "  ./clickstream transfer --config transfer/transfer.yaml",
                "  ./clickstream transfer --config transfer/transfer.yaml --print-ddl --server-version 25.8",
                "  java -Xmx256m -XX:+UseSerialGC -jar transfer/target/transfer.jar --config transfer/transfer.yaml",
                "  curl -s localhost:9102/metrics | grep clickstream_transfer_rows",
                "  ./clickstream transfer --config transfer/transfer.yaml --log-format json   (for a log shipper)",
                "See transfer/DESIGN.md for the delivery guarantees."})
public final class TransferCommand implements Callable<Integer> {
    /**
     * How to run it: a 256 MB heap holds the batch being filled and the two being written (measured peak RSS
     * about 370 MB while draining a backlog, bench/delivery); the serial collector spends less CPU than G1
     * on a small machine that also runs Kafka and ClickHouse.
     */
    public static final java.util.List<String> JVM_OPTIONS = java.util.List.of("-Xmx256m", "-XX:+UseSerialGC");

    /** {@link #JVM_OPTIONS} and the class-data archive of the jar the transfer runs from (see {@link ClassDataArchive}). */
    public static java.util.List<String> jvmOptions(java.nio.file.Path jar) {
        java.util.List<String> opts = new java.util.ArrayList<>(JVM_OPTIONS);
        opts.addAll(ClassDataArchive.options(jar));
        return opts;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions state;

    @Mixin
    LogFormatOption logFormat;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "transfer.yaml (a sample for the demo topic: transfer/transfer.yaml).")
    Path config;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of /metrics, /healthz and /status (default: http.port in the config, else 9102; "
                    + "0 picks a free one).")
    Integer httpPort;

    @Option(names = "--instance", paramLabel = "NAME", description = "This instance's name in logs and /status "
            + "(default: host-pid).")
    String instance;

    @Option(names = "--session-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How long the group waits for a silent instance before moving its partitions "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration sessionTimeout;

    @Option(names = "--check", description = "Validate the config and reach both ends, then exit.")
    boolean check;

    @Option(names = "--print-ddl", description = "Print the CREATE statements the transfer runs for this config (its "
            + "database, the target, <table>_unparsed and <table>_offsets), each ending in ';', and exit. Review them "
            + "or run them yourself (say ON CLUSTER); the transfer then uses tables that have its columns.")
    boolean printDdl;

    @Option(names = "--server-version", paramLabel = "VERSION", description = "With --print-ddl: write the DDL for "
            + "this ClickHouse version (e.g. 25.8 or 18.16) instead of asking the server; nothing is contacted.")
    String serverVersion;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (serverVersion != null && !printDdl) {
            throw new UserFacingException("--server-version only goes with --print-ddl", ExitCodes.USAGE, null);
        }
        TransferConfig cfg = ConfigLoader.load(config);
        if (printDdl) {
            printDdl(cfg);
            return 0;
        }
        KafkaEndpoint kafka = kafkaEndpoint(cfg);
        ClickHouseEndpoint clickhouse = clickhouseEndpoint(cfg);
        TransferService.Options options = new TransferService.Options(
                instance != null ? instance : TransferService.Options.defaultInstance(), httpPort, sessionTimeout,
                profileHttpPorts(cfg));
        TransferService service = TransferService.open(cfg, kafka, clickhouse, options);
        if (check) {
            service.close();
            err.println("config " + config + " is valid; Kafka at " + kafka.bootstrapServers() + " and ClickHouse at "
                    + clickhouse.url() + " answer; table " + cfg.tableName() + " is ready");
            err.flush();
            return 0;
        }
        // On SIGTERM/Ctrl-C the JVM would exit with 143 whatever happened; the exit code says instead whether
        // the batch in flight was written (0) or abandoned to be read again on the next start (1).
        Thread hook = new Thread(() -> {
            service.stop();
            boolean clean = false;
            try {
                clean = service.awaitStopped(Duration.ofSeconds(25)) && service.stoppedCleanly();
                service.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(clean ? 0 : 1);
        }, "transfer-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            service.run();
        } finally {
            service.close();
        }
        return 0;
    }

    private void printDdl(TransferConfig cfg) {
        ServerVersion version;
        if (serverVersion != null) {
            try {
                version = ServerVersion.parse(serverVersion);
            } catch (IllegalArgumentException e) {
                throw new UserFacingException("--server-version: " + e.getMessage(), ExitCodes.USAGE, e);
            }
        } else {
            try (ClickHouse ch = ClickHouse.connect(clickhouseEndpoint(cfg))) {
                version = ch.version();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("-- clickstream transfer: tables for topic " + cfg.source().topicName() + " on ClickHouse " + version);
        for (String statement : TransferDdl.statements(cfg, version)) {
            out.println(statement + ";");
            out.println();
        }
        if (cfg.placement().onCluster()) {
            // the shards are counted at start, from system.clusters; a printout contacts no server
            out.println("-- on a cluster of several shards, also (the whole cluster's rows, for reading):");
            String database = cfg.database();
            out.println(DistributedTable.createSql(cfg.placement(), database, cfg.tableName()) + ";");
            out.println();
        }
        out.flush();
    }

    private ConnectionProfile profile(TransferConfig cfg) {
        if (cfg.profile() != null) {
            return ProfileStore.load(config.toAbsolutePath().getParent().resolve(cfg.profile()));
        }
        return state.loadProfile();
    }

    /** The profile's HTTP ports of a cluster's servers, when the target's connection is the profile's. */
    private java.util.Map<String, Integer> profileHttpPorts(TransferConfig cfg) {
        TransferConfig.Connection c = cfg.target() == null ? null : cfg.target().connection();
        if (c != null && c.url() != null) {
            return java.util.Map.of();
        }
        java.util.Map<String, Integer> ports = profile(cfg).clickhouseConnection().clusterHttpPorts();
        return ports == null ? java.util.Map.of() : ports;
    }

    private KafkaEndpoint kafkaEndpoint(TransferConfig cfg) {
        TransferConfig.Source s = cfg.source();
        TransferConfig.Auth auth = s.auth();
        if (s.brokers() != null) {
            String user = auth != null && auth.sasl() != null ? auth.sasl().user() : null;
            String password = auth != null && auth.sasl() != null ? auth.sasl().password() : null;
            String mechanism = auth != null && auth.sasl() != null ? auth.sasl().mechanism() : null;
            String protocol = auth != null && auth.securityProtocol() != null ? auth.securityProtocol()
                    : user != null ? "SASL_SSL" : "PLAINTEXT";
            return new KafkaEndpoint(String.join(",", s.brokers()), protocol, mechanism, user, password,
                    auth == null ? null : auth.caFile());
        }
        KafkaEndpoint e = KafkaEndpoint.of(profile(cfg).kafkaConnection());
        if (auth != null && auth.sasl() != null) {
            e = e.withCredentials(auth.sasl().user(), auth.sasl().password());
        }
        return e;
    }

    private ClickHouseEndpoint clickhouseEndpoint(TransferConfig cfg) {
        TransferConfig.Connection c = cfg.target() == null ? null : cfg.target().connection();
        String database = cfg.database();
        if (c != null && c.url() != null) {
            return new ClickHouseEndpoint(c.url(), c.user() == null ? "default" : c.user(),
                    c.password() == null ? "" : c.password(), database, c.caFile());
        }
        ClickHouseEndpoint e = ClickHouseEndpoint.of(profile(cfg).clickhouseConnection()).withDatabase(database);
        if (c != null && c.user() != null) {
            e = e.withCredentials(c.user(), c.password() == null ? "" : c.password());
        }
        return e;
    }
}
