package dev.clickstream.provisioner.demo;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.StateDirOptions;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.producer.ProducerCommand;
import dev.clickstream.provisioner.dashboard.DashboardCommand;
import dev.clickstream.provisioner.sql.KafkaEngineSql;
import dev.clickstream.provisioner.sql.SqlApplier;
import dev.clickstream.provisioner.sql.SqlApplyCommand;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/** The whole pipeline in one command: stack, delivery, events, rows, a few analytics. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Run the pipeline end to end: up, delivery into ClickHouse, 10,000 events, analytics.",
        description = "Starts the local stack when it is not running, sets up the delivery (the ClickHouse Kafka "
                + "engine by default, or our transfer), produces events, waits until ClickHouse holds them and "
                + "prints what they show. Run it again to add more events.",
        footer = {"", "Examples:", "  ./clickstream demo", "  ./clickstream demo --delivery transfer --events 50000"})
public final class DemoCommand implements Callable<Integer> {
    enum Delivery { engine, transfer }

    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOptions state;

    @Option(names = "--events", paramLabel = "N", defaultValue = "10000",
            description = "Events to produce (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--delivery", paramLabel = "PATH", defaultValue = "engine",
            description = "engine (the ClickHouse Kafka table engine) or transfer (our delivery service) "
                    + "(default: ${DEFAULT-VALUE}).")
    Delivery delivery;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the event generator (default: random).")
    Long seed;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long to wait for the rows (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--transfer-port", paramLabel = "PORT", defaultValue = "9102",
            description = "HTTP port of the transfer's /metrics (default: ${DEFAULT-VALUE}; another free one when taken).")
    int transferPort;

    @Option(names = "--random-ports", description = "Start the stack on random free ports.")
    boolean randomPorts;

    @Option(names = "--dashboard-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the dashboard left running at the end (default: ${DEFAULT-VALUE}; another free one "
                    + "when taken).")
    int dashboardPort;

    @Option(names = "--no-dashboard", description = "Do not start the dashboard.")
    boolean noDashboard;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (events < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--events must be at least 1");
        }
        long t0 = System.nanoTime();
        LocalStack stack = new LocalStack(state.stateDir());
        LocalStack.UpOptions up = LocalStack.UpOptions.defaults();
        stack.up(randomPorts ? up.withRandomPorts() : up, out);
        ConnectionProfile profile = ProfileStore.load(stack.profileFile());
        ClickHouseEndpoint endpoint = ClickHouseEndpoint.of(profile.clickhouseConnection());

        out.println();
        String table;
        Optional<Integer> transferHttp = Optional.empty();
        if (delivery == Delivery.engine) {
            out.println("Delivery: the ClickHouse Kafka engine (sql/" + KafkaEngineSql.TEMPLATE + ")");
            out.flush();
            KafkaEngineSql sql = SqlApplier.defaultsFor(profile, null);
            new SqlApplier(out, spec.commandLine().getErr()).apply(endpoint, sql, "sql/" + KafkaEngineSql.TEMPLATE,
                    SqlApplyCommand.readTemplate(null), null, false, false);
            table = sql.database() + "." + sql.storageTable();
        } else {
            out.println("Delivery: the transfer (transfer/transfer.yaml), in the background");
            out.flush();
            DemoTransfer transfer = DemoTransfer.ensureRunning(stack.stateDir(), transferPort, out);
            transferHttp = Optional.of(transfer.httpPort());
            table = transfer.table();
        }

        String group = delivery == Delivery.engine ? KafkaEngineSql.DEFAULT_GROUP : DemoTransfer.GROUP;
        try (ClickHouse ch = ClickHouse.connect(endpoint);
             DeliveredOffsets offsets = new DeliveredOffsets(KafkaEndpoint.of(profile.kafkaConnection()),
                     profile.topicOrDefault())) {
            Map<Integer, Long> from = offsets.ends();
            out.println();
            out.println("Producing " + events + " events to " + profile.topicOrDefault());
            out.flush();
            produce();
            Map<Integer, Long> to = offsets.ends();
            waitForDelivery(() -> offsets.delivered(group, from, to), out, table);
            out.println();
            out.printf("%,d events are in %s (%,d rows in all) after %.0f s%n", events, table, rows(ch, table),
                    (System.nanoTime() - t0) / 1e9);
            printAnalytics(ch, table, out);
        }
        Optional<String> dashboard = Optional.empty();
        if (!noDashboard) {
            out.println();
            int port = dashboardPort > 0 && Ports.isFree(dashboardPort) ? dashboardPort : 0;
            String transferUrl = transferHttp.or(() -> DemoTransfer.runningPort(stack.stateDir()))
                    .map(p -> "http://127.0.0.1:" + p).orElse(DashboardCommand.DEFAULT_TRANSFER_URL);
            dashboard = Optional.of(DashboardCommand.startInBackground(stack.stateDir(), port, transferUrl, out));
            Browser.open(dashboard.get(), out);
        }
        out.println();
        out.println("Next:");
        out.println("  ./clickstream consumer --max-messages 5          # the events as Kafka holds them");
        out.println("  ./clickstream status                             # services, topics, tables");
        transferHttp.ifPresent(port -> out.println("  curl -s localhost:" + port
                + "/metrics | grep clickstream_transfer_rows   # the transfer keeps delivering"));
        dashboard.ifPresent(url -> out.println("  open " + url + "                  # the live dashboard"));
        out.println("  ./clickstream analytics                          # the analytics as tables");
        out.println("  ./clickstream producer --rate 50                 # keep events coming (Ctrl-C stops)");
        out.println("  ./clickstream demo --delivery " + (delivery == Delivery.engine ? "transfer" : "engine")
                + "          # the other delivery path");
        out.println("  ./clickstream down                               # stop everything (data stays)");
        out.flush();
        return 0;
    }

    private void produce() {
        List<String> args = new java.util.ArrayList<>(List.of("--message-count", Integer.toString(events),
                "--start-time", "now", "--sessions", "300", "--progress", "none", "--state-dir", state.stateDir().toString()));
        if (seed != null) {
            args.addAll(List.of("--seed", Long.toString(seed)));
        }
        CommandLine producer = Cli.commandLine(new ProducerCommand());
        PrintWriter quiet = new PrintWriter(java.io.OutputStream.nullOutputStream(), true);
        producer.setOut(quiet);
        producer.setErr(spec.commandLine().getErr());
        int code = producer.execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new UserFacingException("the producer failed (exit " + code + "); see the line above");
        }
    }

    private void waitForDelivery(LongSupplier delivered, PrintWriter out, String table) {
        long[] last = {-1};
        boolean arrived = Deadline.in(timeout).until(Duration.ofSeconds(1), () -> {
            long now = delivered.getAsLong();
            if (now != last[0]) {
                out.printf("  delivered to %s: %,d of %,d%n", table, now, events);
                out.flush();
                last[0] = now;
            }
            return now >= events;
        });
        if (!arrived) {
            throw new UserFacingException("only " + last[0] + " of " + events + " events reached " + table + " within "
                    + timeout.toSeconds() + " s: see `./clickstream logs clickhouse`" + (delivery == Delivery.transfer
                    ? " and " + state.stateDir().resolve("companions").resolve("transfer.log") : ""));
        }
    }

    private static long rows(ClickHouse ch, String table) {
        String[] parts = table.split("\\.");
        return ch.tableExists(parts[0], parts[1]) ? ch.queryLong("SELECT count() FROM " + table) : 0;
    }

    private static void printAnalytics(ClickHouse ch, String table, PrintWriter out) {
        out.println();
        out.println("Events by type:");
        for (JsonNode r : ch.query("SELECT event_type, count() AS n, uniqExact(session_id) AS sessions FROM " + table
                + " GROUP BY event_type ORDER BY n DESC")) {
            out.printf("  %-12s %,9d events in %,7d sessions%n", r.get("event_type").asText(), r.get("n").asLong(),
                    r.get("sessions").asLong());
        }
        out.println("Top pages:");
        for (JsonNode r : ch.query("SELECT page, count() AS n FROM " + table + " WHERE event_type = 'page_view'"
                + " GROUP BY page ORDER BY n DESC, page LIMIT 5")) {
            out.printf("  %-40s %,9d views%n", r.get("page").asText(), r.get("n").asLong());
        }
        JsonNode totals = ch.query("SELECT uniqExact(session_id) AS sessions, uniqExact(user_id) AS users,"
                + " uniqExactIf(session_id, event_type = 'purchase') AS buying FROM " + table).get(0);
        out.printf("Sessions: %,d from %,d users; %,d of them bought something (%.1f%%)%n",
                totals.get("sessions").asLong(), totals.get("users").asLong(), totals.get("buying").asLong(),
                100.0 * totals.get("buying").asLong() / Math.max(1, totals.get("sessions").asLong()));
        out.flush();
    }
}
