package dev.clickstream.stack;

import dev.clickstream.stack.process.ServiceProcess;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Long-running processes the launcher starts beside the stack (the transfer of `demo --delivery transfer`,
 * the dashboard), owned by the state folder like the stack's services: a pid file each under
 * {@code companions/}, stopped by pid with {@code clickstream down}.
 */
public final class Companions {
    private final Path dir;
    private final String marker;

    public Companions(Path stateDir) {
        Path state = stateDir.toAbsolutePath().normalize();
        this.dir = state.resolve("companions");
        this.marker = state.toString();
    }

    public Path logFile(String name) {
        return dir.resolve(name + ".log");
    }

    private Path pidFile(String name) {
        return dir.resolve(name + ".pid");
    }

    /**
     * Starts {@code command} in its own session, its output appended to {@code companions/<name>.log}. The
     * command line must contain the state folder (e.g. as {@code --state-dir}), which marks the process as
     * ours when it is stopped later.
     */
    public ServiceProcess start(String name, List<String> command) {
        if (command.stream().noneMatch(arg -> arg.contains(marker))) {
            throw new IllegalArgumentException("the command of " + name + " must name the state folder " + marker);
        }
        try {
            Files.createDirectories(dir);
            ServiceProcess p = ServiceProcess.start(command, dir, logFile(name), Map.of(), marker);
            Files.writeString(pidFile(name), Long.toString(p.pid()));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public Optional<ServiceProcess> running(String name) {
        try {
            if (!Files.isRegularFile(pidFile(name))) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile(name)).trim());
            return ServiceProcess.attach(pid, marker);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stops one companion by pid (SIGTERM, then SIGKILL after {@code grace}); true when one was running. */
    public boolean stop(String name, Duration grace) {
        Optional<ServiceProcess> p = running(name);
        p.ifPresent(process -> process.stop(grace));
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.isPresent();
    }

    public List<String> names() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pid"))
                    .forEach(n -> names.add(n.substring(0, n.length() - ".pid".length())));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stopAll(PrintWriter out) {
        for (String name : names()) {
            long t0 = System.nanoTime();
            Optional<ServiceProcess> p = running(name);
            if (stop(name, Duration.ofSeconds(30))) {
                out.printf("  %-11s stopped (pid %d) in %.1f s%n", name, p.map(ServiceProcess::pid).orElse(0L),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    /** The java command that runs the launcher again (same JVM, same classpath), for a companion. */
    public static List<String> launcherCommand(String mainClass, List<String> args) {
        return launcherCommand(List.of(), mainClass, args);
    }

    /** The same, with JVM options of its own (a heap size, a collector). */
    public static List<String> launcherCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        String kafkaLib = System.getProperty("clickstream.kafka.lib");
        if (kafkaLib != null) {
            cmd.add("-Dclickstream.kafka.lib=" + kafkaLib);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
