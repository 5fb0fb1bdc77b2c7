package dev.clickstream.provisioner.dashboard;

import dev.clickstream.common.cli.ClickHouseOptions;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.provisioner.ClickstreamMain;
import dev.clickstream.provisioner.analytics.EventsTable;
import dev.clickstream.provisioner.analytics.EventsTableOptions;
import dev.clickstream.stack.Companions;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.LogTail;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Serves the live dashboard on localhost, in the foreground or as a companion of the stack. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Serve a live dashboard on localhost: events per minute, funnel, top pages, delivery health.",
        description = "Serves one page on 127.0.0.1 that refreshes itself every few seconds: the last hour's "
                + "analytics from ClickHouse (the queries of sql/analytics/ over the same table `clickstream "
                + "analytics` picks) and the transfer's delivery health from its /status and /metrics (lag, rows/s, "
                + "unparsed rows, last error; 'transfer not running' when nothing answers at --transfer-url). Runs "
                + "until Ctrl-C, or with --background as a companion of the stack that `clickstream down` stops.",
        footer = {"", "Examples:", "  ./clickstream dashboard                      # then open http://127.0.0.1:8080/",
                "  ./clickstream dashboard --background --port 0   # a free port; prints the URL",
                "  ./clickstream dashboard --transfer-url http://127.0.0.1:9102 --table clickstream.events"})
public final class DashboardCommand implements Callable<Integer> {
    public static final String COMPANION = "dashboard";
    public static final String DEFAULT_TRANSFER_URL = "http://127.0.0.1:9102";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions state;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--transfer-url", paramLabel = "URL", defaultValue = DEFAULT_TRANSFER_URL,
            description = "The transfer's HTTP address, for /status and /metrics (default: ${DEFAULT-VALUE}).")
    String transferUrl;

    @Mixin
    EventsTableOptions tableOption;

    @Option(names = "--background", description = "Start the dashboard as a companion process of the stack in "
            + "--state-dir, print its URL and return; `clickstream down` stops it.")
    boolean background;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        URI transfer = transferUri(transferUrl);
        EventsTable fixed = tableOption.given();
        if (port < 0 || port > 65535) {
            throw new UserFacingException("--port: " + port + " is not a port", ExitCodes.USAGE, null);
        }
        if (background) {
            if (clickhouse.urlGiven()) {
                throw new UserFacingException("--background reads ClickHouse from the connection profile; the "
                        + "--clickhouse-* flags work in the foreground only", ExitCodes.USAGE, null);
            }
            startInBackground(state.stateDir(), state.profileGiven() ? state.profileFile() : null, port,
                    transfer.toString(), tableOption.text(), out);
            return ExitCodes.OK;
        }
        List<EventsTable> defaults = EventsTable.defaults(state, clickhouse);
        KafkaEndpoint kafka = java.nio.file.Files.isRegularFile(state.profileFile())
                ? KafkaEndpoint.of(state.loadProfile().kafkaConnection()) : null;
        try (DashboardServer server = DashboardServer.start(port, clickhouse.resolve(state), fixed, defaults, transfer,
                kafka, spec.commandLine().getErr())) {
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "dashboard-shutdown"));
            out.println("Dashboard: " + server.url() + "  (Ctrl-C stops it)");
            out.flush();
            spec.commandLine().getErr().println(server.describe());
            spec.commandLine().getErr().flush();
            server.awaitClose();
        }
        return ExitCodes.OK;
    }

    /**
     * Starts the dashboard of the stack in {@code stateDir} as a companion process (replacing one already running),
     * waits until it answers, prints its URL and returns it. For `clickstream demo`.
     *
     * @param port        a port on 127.0.0.1, or 0 for a free one
     * @param transferUrl the transfer's HTTP address, e.g. http://127.0.0.1:9102
     */
    public static String startInBackground(Path stateDir, int port, String transferUrl, PrintWriter out) {
        return startInBackground(stateDir, null, port, transferUrl, null, out);
    }

    static String startInBackground(Path stateDir, Path profile, int port, String transferUrl, String table,
                                    PrintWriter out) {
        Path state = stateDir.toAbsolutePath().normalize();
        Companions companions = new Companions(state);
        companions.running(COMPANION).ifPresent(running -> {
            out.println("Replacing the running dashboard (pid " + running.pid() + ")");
            companions.stop(COMPANION, Duration.ofSeconds(10));
        });
        int chosen = port == 0 ? Ports.freePort() : port;
        if (!Ports.isFree(chosen)) {
            throw new UserFacingException("dashboard: port " + chosen + " on " + Ports.LOOPBACK
                    + " is in use: pick another with --port (0 picks a free one)");
        }
        List<String> args = new ArrayList<>(List.of(COMPANION, "--state-dir", state.toString(), "--port",
                Integer.toString(chosen), "--transfer-url", transferUrl));
        if (profile != null) {
            args.addAll(List.of("--profile", profile.toAbsolutePath().normalize().toString()));
        }
        if (table != null) {
            args.addAll(List.of("--table", table));
        }
        ServiceProcess process = companions.start(COMPANION,
                Companions.launcherCommand(ClickstreamMain.class.getName(), args));
        String url = "http://" + Ports.LOOPBACK + ":" + chosen + "/";
        awaitReady(url, process, companions.logFile(COMPANION));
        out.println("Dashboard: " + url + "  (pid " + process.pid() + ", log " + companions.logFile(COMPANION)
                + "; `clickstream down` stops it)");
        out.flush();
        return url;
    }

    private static void awaitReady(String url, ServiceProcess process, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest healthz = HttpRequest.newBuilder(URI.create(url + "healthz")).timeout(Duration.ofSeconds(2)).build();
        Optional<Boolean> ready = Deadline.in(START_TIMEOUT).poll(Duration.ofMillis(200), () -> {
            if (!process.isAlive()) {
                return Optional.of(false);
            }
            try {
                return http.send(healthz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        ? Optional.of(true) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of(false);
            }
        });
        if (ready.orElse(false)) {
            return;
        }
        String lastLine = LogTail.lastLines(log, 20).stream().filter(l -> !l.isBlank()).reduce((a, b) -> b)
                .orElse("(no output)");
        if (process.isAlive()) {
            process.stop(Duration.ofSeconds(5));
            throw new UserFacingException("the dashboard did not answer at " + url + " within "
                    + START_TIMEOUT.toSeconds() + " s (log " + log + ": " + lastLine + ")");
        }
        throw new UserFacingException("the dashboard exited at start-up: " + lastLine.replaceFirst("^error: ", "")
                + " (log " + log + ")");
    }


    private static URI transferUri(String text) {
        try {
            URI uri = URI.create(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UserFacingException("--transfer-url: '" + text + "' is not an http:// or https:// address",
                ExitCodes.USAGE, null);
    }
}
