package dev.clickstream.bench;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.producer.ProducerCommand;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.kafka.KafkaBroker;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.chdb.ChdbSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The two delivery paths on one machine, in one run, back to back: how fast each drains a prepared
 * backlog (rows/s), how fresh each keeps a steady stream (produce to visible in SELECT, p50/p99), and the
 * transfer's peak memory and CPU time. Prints a table with the Kafka engine as the peer (ratio 1.00). The drain
 * also runs the Kafka engine of ClickHouse 26.x (chDB), as a second peer.
 */
@Command(name = "bench/delivery", mixinStandardHelpOptions = true,
        description = {"Kafka engine vs transfer: drain rate of a prepared backlog, freshness of a steady stream, "
                + "peak RSS and CPU time. Starts a stack of its own in a temporary folder and removes it at the end.",
                "The drain also runs the Kafka engine of ClickHouse 26.x (chDB, in a JVM of its own, one consumer) "
                        + "when it is installed (npm install --no-save --prefix test-support/chdb); otherwise its row says skipped."})
public final class DeliveryBench implements Callable<Integer> {
    private static final List<String> ALL_PATHS = List.of("engine", "engine3", "chdb", "transfer", "transfer-json");

    @Option(names = "--events", defaultValue = "1000000", description = "Backlog to drain (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--fresh-rate", defaultValue = "2000", description = "Events/s of the freshness stream "
            + "(default: ${DEFAULT-VALUE}).")
    int freshRate;

    @Option(names = "--fresh-seconds", defaultValue = "60", description = "Length of the freshness stream "
            + "(default: ${DEFAULT-VALUE}).")
    int freshSeconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds of the drain per path; the table shows "
            + "their median and spread (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--skip-drain", description = "Measure freshness only.")
    boolean skipDrain;

    @Option(names = "--skip-freshness", description = "Measure the drain only.")
    boolean skipFreshness;

    @Option(names = "--paths", split = ",", paramLabel = "PATH",
            description = "The drain's contestants, comma-separated, in this order: engine (18.16, one consumer: the"
                    + " peer of the ratios), engine3 (three consumers), chdb (ClickHouse 26.x), transfer (RowBinary),"
                    + " transfer-json (JSONEachRow). Default: all.")
    List<String> paths = new ArrayList<>(ALL_PATHS);

    @Option(names = "--transfer-variant", paramLabel = "NAME=JVM OPTIONS",
            description = "A further RowBinary transfer row whose JVM gets these options besides its defaults, e.g."
                    + " --transfer-variant c1=-XX:TieredStopAtLevel=1; --jar=PATH among them runs another build of the"
                    + " transfer (a copy of an earlier transfer.jar), --java=JAVA_HOME another JVM (without the transfer's class-data"
                    + " archive, which fits only the JVM that wrote it). Repeatable. Its rounds alternate with the"
                    + " transfer's, so a change of the machine's speed meets both.")
    java.util.Map<String, String> variants = new java.util.LinkedHashMap<>();

    @Option(names = "--cluster", paramLabel = "SHARDSxREPLICAS",
            description = "Drain into a local cluster of that shape (up --cluster) instead of one server: the transfer"
                    + " writes with target.cluster and the rows are counted through the Distributed table when there are"
                    + " several shards. Only the transfer's paths run (default then: transfer).")
    String cluster;

    @Option(names = "--root", description = "The project's folder (default: the current one).")
    Path root = Path.of("").toAbsolutePath();

    private final PrintWriter log = new PrintWriter(System.err, true);
    private final PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream(), true);
    private final EngineTables engines = new EngineTables(quiet, log);
    private Path state;
    private Path profileFile;
    /** The stack's ClickHouse server: its CPU time is read around each round. */
    private long serverPid = -1;

    public static void main(String[] args) {
        System.exit(Cli.run(new DeliveryBench(), args));
    }

    @Override
    public Integer call() throws Exception {
        state = Files.createTempDirectory("clickstream-bench-delivery-");
        if (rounds < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--rounds: at least 1");
        }
        for (String path : paths) {
            if (!ALL_PATHS.contains(path)) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--paths: unknown path '"
                        + path + "' (known: " + String.join(", ", ALL_PATHS) + ")");
            }
        }
        ClusterShape shape = cluster == null ? null : ClusterShape.parse(cluster);
        if (shape != null) {
            if (paths.equals(ALL_PATHS)) {
                paths = List.of("transfer");
            } else if (paths.stream().anyMatch(p -> !p.startsWith("transfer"))) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--cluster: only the transfer's paths run on a cluster (--paths transfer,transfer-json)");
            }
        }
        LocalStack stack = new LocalStack(state);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stack.down(true, quiet)));
        log.println("Starting a stack of its own in " + state);
        LocalStack.UpOptions up = LocalStack.UpOptions.defaults().withRandomPorts();
        stack.up(shape == null ? up : up.withCluster(shape), quiet);
        try {
            profileFile = stack.profileFile();
            ConnectionProfile profile = ProfileStore.load(profileFile);
            ClickHouseEndpoint chEndpoint = ClickHouseEndpoint.of(profile.clickhouseConnection());
            try (ClickHouse ch = ClickHouse.connect(chEndpoint)) {
                ServerVersion version = ch.version();
                Report report = new Report(version.text(), Runtime.getRuntime().availableProcessors());
                Transfers transfers = new Transfers(root, state, profile, log, shape);
                serverPid = stack.clickhouseProcess().map(p -> p.pid()).orElse(-1L);
                if (!skipDrain) {
                    drain(profile, ch, chEndpoint, transfers, report);
                }
                if (!skipFreshness) {
                    new FreshnessRun(engines, log, freshRate, freshSeconds).run(profile, ch, chEndpoint, transfers,
                            report);
                }
                report.print(new PrintWriter(System.out, true));
            }
        } finally {
            stack.down(true, quiet);
            deleteQuietly(state);
        }
        return ExitCodes.OK;
    }

    // ------------------------------------------------------------------ drain

    private void drain(ConnectionProfile profile, ClickHouse ch, ClickHouseEndpoint endpoint, Transfers transfers,
                       Report report) throws Exception {
        String topic = "bench-drain";
        KafkaBroker.ensureTopic(plaintext(profile), topic, 3);
        log.printf("Producing %,d events to %s%n", events, topic);
        int code = Cli.commandLine(new ProducerCommand()).execute("--message-count", Integer.toString(events),
                "--topic", topic, "--seed", "1", "--sessions", "2000", "--progress", "none",
                "--profile", profileFile.toString());
        if (code != 0) {
            throw new IllegalStateException("the producer failed");
        }
        report.eventBytes = EventSize.average(1);
        report.events = events;

        for (int consumers : new int[] {1, 3}) {
            if (!paths.contains(consumers == 1 ? "engine" : "engine3")) {
                continue;
            }
            List<Report.Round> results = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String db = "drain_engine_" + consumers + "_" + round;
                log.printf("Kafka engine, %d consumer(s), draining %,d events (round %d of %d)%n", consumers, events,
                        round, rounds);
                double server0 = serverCpu();
                long t0 = System.nanoTime();
                engines.apply(endpoint, profile, db, topic, "drain-" + db, consumers, 65536);
                long first = awaitCount(ch, db + ".events", events, Duration.ofMinutes(15));
                long end = System.nanoTime();
                double server = serverCpu() - server0;
                results.add(new Report.Round((end - t0) / 1e9, (end - first) / 1e9, -1, server0 < 0 ? -1 : server,
                        -1));
                EngineTables.stop(ch, db);
                ch.execute("DROP DATABASE IF EXISTS " + db);
            }
            report.drain("kafka engine, kafka_num_consumers=" + consumers, results);
        }
        if (paths.contains("chdb")) {
            modernEngine(profile, topic, report);
        }
        List<TransferRow> rows = new ArrayList<>();
        String on = cluster == null ? "" : ", " + cluster + " cluster";
        if (paths.contains("transfer")) {
            rows.add(new TransferRow("transfer, RowBinary" + on, "RowBinary", List.of()));
        }
        variants.forEach((name, options) -> rows.add(new TransferRow("transfer, RowBinary, " + name, "RowBinary",
                List.of(options.trim().split("\\s+")))));
        if (paths.contains("transfer-json")) {
            rows.add(new TransferRow("transfer, JSONEachRow" + on, "JSONEachRow", List.of()));
        }
        // Rows with JVM variants alternate round by round, so each variant meets the same stretch of the machine.
        List<List<Report.Round>> results = new ArrayList<>();
        rows.forEach(r -> results.add(new ArrayList<>()));
        if (variants.isEmpty()) {
            for (int k = 0; k < rows.size(); k++) {
                for (int round = 1; round <= rounds; round++) {
                    results.get(k).add(drainWithTransfer(ch, transfers, topic, rows.get(k), k, round));
                }
            }
        } else {
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < rows.size(); k++) {
                    results.get(k).add(drainWithTransfer(ch, transfers, topic, rows.get(k), k, round));
                }
            }
        }
        for (int k = 0; k < rows.size(); k++) {
            report.drain(rows.get(k).label(), results.get(k));
        }
    }

    /** One transfer row of the drain: a label, the insert format and JVM options besides the defaults. */
    private record TransferRow(String label, String format, List<String> jvmOptions) {
    }

    private Report.Round drainWithTransfer(ClickHouse ch, Transfers transfers, String topic, TransferRow row, int k,
                                           int round) throws Exception {
        String db = "drain_transfer_" + k + "_" + round;
        log.printf("%s, draining %,d events (round %d of %d)%n", row.label(), events, round, rounds);
        double server0 = serverCpu();
        long t0 = System.nanoTime();
        Report.Round result;
        try (Transfers.Running t = transfers.start(topic, db, row.format(), "300ms", row.jvmOptions())) {
            // several shards: the Distributed table counts them all; replicas: the server written to
            long first = awaitCount(ch, db + (transfers.sharded() ? ".bench_drain_all" : ".bench_drain"), events,
                    Duration.ofMinutes(15));
            long end = System.nanoTime();
            double server = serverCpu() - server0;
            result = new Report.Round((end - t0) / 1e9, (end - first) / 1e9, t.peakRssBytes(), t.cpuSeconds(),
                    server0 < 0 ? -1 : server);
            log.printf("  the transfer's threads: %s%n", t.cpuByThread());
        }
        ch.execute("DROP DATABASE IF EXISTS " + db);
        return result;
    }

    /** CPU seconds the stack's ClickHouse server has used so far, or -1. */
    private double serverCpu() {
        return serverPid < 0 ? -1 : ProcessStats.cpuSeconds(serverPid);
    }

    /**
     * The same backlog through the Kafka engine of ClickHouse 26.x (chDB) in a JVM of its own. A missing library or
     * a failed run puts the reason in the row instead of numbers, and the bench goes on: a bench is not a test.
     */
    private void modernEngine(ConnectionProfile profile, String topic, Report report) throws InterruptedException {
        String label = "kafka engine %s (chDB), 1 consumer";
        Path lib = Path.of(System.getProperty(ChdbSession.LIBRARY_PROPERTY,
                root.resolve("test-support/chdb/node_modules/@chdb/lib-linux-x64-gnu/libchdb.so").toString()));
        if (!Files.isRegularFile(lib)) {
            log.println("ClickHouse 26.x (chDB) is not installed at " + lib + ", skipping its row; install it with:"
                    + " npm install --no-save --prefix " + root.resolve("test-support/chdb"));
            report.drainNotMeasured(label.formatted("26.x"),
                    "skipped: chDB is not installed (npm install --no-save --prefix test-support/chdb)");
            return;
        }
        try {
            List<Report.Round> results = new ArrayList<>();
            String version = "26.x";
            for (int round = 1; round <= rounds; round++) {
                log.printf("Kafka engine of ClickHouse 26.x (chDB), 1 consumer, draining %,d events (round %d of %d)%n",
                        events, round, rounds);
                ModernEngineDrain.Result r = ModernEngineDrain.run(lib, state,
                        profile.kafkaConnection().listeners().get("PLAINTEXT"), topic, events, Duration.ofMinutes(15),
                        log);
                version = r.version();
                results.add(new Report.Round(r.seconds(), r.steadySeconds(), r.peakRssBytes(), r.cpuSeconds(), -1));
            }
            report.drain(label.formatted(version), results);
        } catch (IOException | RuntimeException e) {
            log.println("the drain on chDB failed: " + Cli.oneLine(e));
            report.drainNotMeasured(label.formatted("26.x"), "failed: " + Cli.oneLine(e));
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Waits for {@code expected} rows; returns when the first row was seen (System.nanoTime()). */
    static long awaitCount(SqlSession ch, String table, long expected, Duration timeout) {
        String[] parts = table.split("\\.");
        long[] firstSeen = {0};
        boolean done = Deadline.in(timeout).until(Duration.ofMillis(100), () -> {
            long n = ch.tableExists(parts[0], parts[1]) ? ch.queryLong("SELECT count() FROM " + table) : 0;
            if (n > 0 && firstSeen[0] == 0) {
                firstSeen[0] = System.nanoTime();
            }
            return n >= expected;
        });
        if (!done) {
            throw new IllegalStateException(table + " did not reach " + expected + " rows within " + timeout);
        }
        return firstSeen[0];
    }

    static dev.clickstream.common.kafka.KafkaEndpoint plaintext(ConnectionProfile profile) {
        return dev.clickstream.common.kafka.KafkaEndpoint.plaintext(
                profile.kafkaConnection().listeners().get("PLAINTEXT"));
    }

    private static void deleteQuietly(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder
        }
    }
}
