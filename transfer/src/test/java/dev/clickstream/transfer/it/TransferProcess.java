package dev.clickstream.transfer.it;

import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The transfer as a real process ({@code java -jar target/transfer.jar}), for tests that kill it with
 * SIGKILL or stop it with SIGTERM. Its output goes to a log file the test can read.
 */
final class TransferProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "transfer.jar");

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final String instance;

    private TransferProcess(Process process, Path log, int httpPort, String instance) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.instance = instance;
    }

    static TransferProcess start(Path config, String instance, Path logDir) {
        return start(config, instance, logDir, List.of());
    }

    /** With {@code extraArgs} after the usual ones (say --log-format json). */
    static TransferProcess start(Path config, String instance, Path logDir, List<String> extraArgs) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the tests with `mvn verify`");
        }
        int port = Ports.freePort();
        Path log = logDir.resolve(instance + ".log");
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        cmd.addAll(dev.clickstream.transfer.TransferCommand.jvmOptions(JAR));
        cmd.addAll(List.of("-jar", JAR.toString(), "--config", config.toString(), "--http-port", String.valueOf(port),
                "--instance", instance, "--session-timeout", "6s"));
        cmd.addAll(extraArgs);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return new TransferProcess(p, log, port, instance);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int httpPort() {
        return httpPort;
    }

    String instance() {
        return instance;
    }

    /** Waits until the process owns partitions and has written at least one batch since it started. */
    void awaitDelivering(Duration timeout) {
        boolean ok = Deadline.in(timeout).until(Duration.ofMillis(200), () -> {
            if (!process.isAlive()) {
                return true;
            }
            try {
                return TransferFixtures.metric(httpPort, "clickstream_transfer_batches_total") > 0;
            } catch (RuntimeException e) {
                return false;
            }
        });
        if (!process.isAlive() || !ok) {
            throw new AssertionError(instance + " is not delivering (alive: " + process.isAlive() + "):\n" + log());
        }
    }

    double metric(String name) {
        return TransferFixtures.metric(httpPort, name);
    }

    /** SIGKILL: no shutdown hook, no last batch, no goodbye to the group. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM, and the exit code once it is gone. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            throw new AssertionError(instance + " did not stop within 40 s of SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGSTOP: the process stands still, heartbeats and all, as in a long GC or VM pause. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT: the process goes on where it stood. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The partitions the instance says it owns (/status). */
    int ownedPartitions() {
        try {
            return TransferFixtures.status(httpPort).get("assignment").size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Waits for the process to end on its own; false if it still runs at the deadline. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    int exitCode() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String log() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            thaw(); // a frozen process cannot act on SIGKILL's cleanup, but it can die; thaw keeps the log whole
            kill();
        }
    }
}
