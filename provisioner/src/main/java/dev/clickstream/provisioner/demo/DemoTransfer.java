package dev.clickstream.provisioner.demo;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.TransferCommand;
import dev.clickstream.provisioner.ClickstreamMain;
import dev.clickstream.stack.Companions;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.LogTail;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The demo's transfer: the sample config, run as a companion of the stack until `clickstream down`. */
final class DemoTransfer {
    static final String NAME = "transfer";
    static final String TABLE = "default.clickhouse_events";
    /** The consumer group of transfer/transfer.yaml. */
    static final String GROUP = "clickstream-transfer";

    private final int httpPort;

    private DemoTransfer(int httpPort) {
        this.httpPort = httpPort;
    }

    int httpPort() {
        return httpPort;
    }

    String table() {
        return TABLE;
    }

    /** The HTTP port of the demo's transfer when it is running. */
    static Optional<Integer> runningPort(Path stateDir) {
        Path portFile = stateDir.resolve("companions").resolve(NAME + ".port");
        if (new Companions(stateDir).running(NAME).isEmpty() || !Files.isRegularFile(portFile)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(read(portFile).trim()));
    }

    static DemoTransfer ensureRunning(Path stateDir, int preferredPort, PrintWriter out) {
        Companions companions = new Companions(stateDir);
        Path portFile = stateDir.resolve("companions").resolve(NAME + ".port");
        Optional<ServiceProcess> running = companions.running(NAME);
        if (running.isPresent() && Files.isRegularFile(portFile)) {
            int port = Integer.parseInt(read(portFile).trim());
            out.println("  the transfer is already running (pid " + running.get().pid() + ", http://127.0.0.1:" + port
                    + "/metrics)");
            return new DemoTransfer(port);
        }
        Path config = stateDir.resolve("demo-transfer.yaml");
        int port = preferredPort > 0 && Ports.isFree(preferredPort) ? preferredPort : Ports.freePort();
        try (InputStream sample = DemoTransfer.class.getResourceAsStream("/clickstream/transfer.yaml")) {
            if (sample == null) {
                throw new IllegalStateException("transfer.yaml is not in the transfer jar");
            }
            Files.createDirectories(stateDir);
            Files.write(config, sample.readAllBytes());
            ServiceProcess p = companions.start(NAME, Companions.launcherCommand(TransferCommand.JVM_OPTIONS,
                    ClickstreamMain.class.getName(),
                    List.of("transfer", "--config", config.toString(), "--state-dir", stateDir.toString(),
                            "--http-port", Integer.toString(port), "--instance", "demo")));
            Files.writeString(portFile, Integer.toString(port));
            out.println("  transfer started (pid " + p.pid() + ", log " + companions.logFile(NAME) + ")");
            out.flush();
            awaitHealthy(p, port, companions.logFile(NAME));
            out.println("  transfer ready: http://127.0.0.1:" + port + "/metrics, /status, /healthz");
            out.flush();
            return new DemoTransfer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitHealthy(ServiceProcess p, int port, Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean ok = Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(250), () -> !p.isAlive()
                || healthy(http, port));
        if (!p.isAlive() || !ok) {
            throw new UserFacingException("the transfer did not become healthy" + (p.isAlive() ? " within 90 s"
                    : " (it exited)") + "\n" + LogTail.format(log, 10));
        }
    }

    private static boolean healthy(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
