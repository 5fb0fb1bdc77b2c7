package dev.clickstream.stack.process;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A background service process (the broker, the ClickHouse server) known by its pid. It runs in its
 * own session, so Ctrl-C in the terminal that ran {@code up} does not reach it, and it outlives the JVM
 * that started it. A pid alone is not trusted: the process must still carry {@code marker} (the state
 * folder) on its command line, so a recycled pid is never signalled.
 */
public final class ServiceProcess {
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final long pid;
    private final String marker;
    /** Set when this JVM started the process: then it is ours without looking at its command line. */
    private final Process started;

    private ServiceProcess(long pid, String marker, Process started) {
        this.pid = pid;
        this.marker = marker;
        this.started = started;
    }

    public static ServiceProcess start(List<String> command, Path workDir, Path logFile, Map<String, String> env,
                                       String marker) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        // A test JVM preloads the JDK's libjsig for chDB; a server we start is not a JVM that needs it.
        pb.environment().remove("LD_PRELOAD");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            return new ServiceProcess(p.pid(), marker, p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** The process with this pid if it is alive and still ours. */
    public static Optional<ServiceProcess> attach(long pid, String marker) {
        if (pid <= 0) {
            return Optional.empty();
        }
        ServiceProcess p = new ServiceProcess(pid, marker, null);
        return p.isAlive() ? Optional.of(p) : Optional.empty();
    }

    public long pid() {
        return pid;
    }

    public boolean isAlive() {
        if (started != null) {
            // Right after the start its command line may still be the JDK's spawn helper, without the marker.
            return started.isAlive();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        return commandLine().map(cmd -> cmd.contains(marker)).orElse(false);
    }

    /** The full command line from /proc (ProcessHandle.Info truncates nothing here, but is empty for zombies). */
    private Optional<String> commandLine() {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            byte[] raw = Files.readAllBytes(cmdline);
            return Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' '));
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
        }
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL; returns true when it had to kill. */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !isAlive()) {
            return false;
        }
        handle.get().destroy();
        if (Deadline.in(grace).until(Duration.ofMillis(100), () -> !handle.get().isAlive())) {
            return false;
        }
        handle.get().destroyForcibly();
        Deadline.in(Duration.ofSeconds(10)).until(Duration.ofMillis(50), () -> !handle.get().isAlive());
        return true;
    }

    /** SIGKILL without grace: for tests that simulate a crash. */
    public void kill() {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        ProcessHandle.of(pid).ifPresent(h ->
                Deadline.in(Duration.ofSeconds(10)).until(Duration.ofMillis(50), () -> !h.isAlive()));
    }

    @Override
    public String toString() {
        return "pid " + pid;
    }

    static void ensureDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
