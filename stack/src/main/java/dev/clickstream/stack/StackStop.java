package dev.clickstream.stack;

import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.stack.cluster.LocalCluster;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code down} does for a {@link LocalStack}, under its lock: stops every service of the stack by its pid
 * (SIGTERM, then SIGKILL after a grace period), waits until their ports are free, and with {@code --purge} deletes
 * the stack's folders and its own profile.
 */
final class StackStop {
    private final Path stateDir;
    private final String marker;
    private final StackFiles files;

    StackStop(Path stateDir, String marker, StackFiles files) {
        this.stateDir = stateDir;
        this.marker = marker;
        this.files = files;
    }

    /** Stops both services by pid (SIGTERM, then SIGKILL after a grace period); data stays unless purged. */
    void down(boolean purge, PrintWriter out) {
        if (!Files.isDirectory(stateDir)) { // taking the lock would create the folder again
            out.println("No local stack in " + stateDir + ".");
            out.flush();
            return;
        }
        files.locked(() -> {
            Optional<StackState> maybe = files.readState();
            if (maybe.isEmpty()) {
                out.println("No local stack in " + stateDir + ".");
                if (purge) {
                    deleteStackFiles();
                }
                out.flush();
                return null;
            }
            StackState state = maybe.get();
            new Companions(stateDir).stopAll(out);
            stopService("kafka", state.kafkaPid(), Duration.ofSeconds(30), out);
            stopService("clickhouse", state.clickhousePid(), Duration.ofSeconds(20), out);
            List<Integer> ports = new ArrayList<>();
            if (state.cluster() != null) {
                new LocalCluster(stateDir, marker).stop(state.cluster(),
                        (name, pid, grace) -> stopService(name, pid, grace, out));
                state.cluster().others().forEach(m -> ports.addAll(m.ports().all()));
                ports.add(state.cluster().zookeeperPort());
            }
            if (state.kafkaPorts() != null) {
                ports.addAll(state.kafkaPorts().all());
            }
            if (state.clickhousePorts() != null) {
                ports.addAll(state.clickhousePorts().all());
            }
            Deadline.in(Duration.ofSeconds(10)).until(Duration.ofMillis(100),
                    () -> ports.stream().noneMatch(Ports::isListening));
            files.writeState(state.withKafka(0, state.kafkaPorts()).withClickHouse(0, state.clickhousePorts(),
                    state.clickhouseVersion()));
            if (purge && state.cluster() != null) {
                new LocalCluster(stateDir, marker).folders(state.cluster()).forEach(StackStop::deleteRecursively);
            }
            if (purge) {
                deleteStackFiles();
                out.println("Purged " + stateDir + " (data, logs, certificates, passwords, profile).");
            } else {
                out.println("Data kept in " + stateDir + "; `./clickstream up` starts the same stack again"
                        + " (`down --purge` deletes it).");
            }
            out.flush();
            return null;
        });
    }

    void stopService(String name, long pid, Duration grace, PrintWriter out) {
        Optional<ServiceProcess> p = ServiceProcess.attach(pid, marker);
        if (p.isEmpty()) {
            out.printf("  %-11s not running%n", name);
            return;
        }
        long t0 = System.nanoTime();
        boolean killed = p.get().stop(grace);
        out.printf("  %-11s stopped (pid %d) in %.1f s%s%n", name, pid, seconds(t0),
                killed ? " after SIGKILL: it ignored SIGTERM for " + grace.toSeconds() + " s" : "");
        out.flush();
    }

    private void deleteStackFiles() {
        for (String name : List.of("kafka", "clickhouse", "tls", "companions", LocalStack.STATE_FILE, "install.log")) {
            deleteRecursively(stateDir.resolve(name));
        }
        Path profile = files.profileFile();
        if (Files.isRegularFile(profile)) {
            try {
                if (ProfileStore.load(profile).isLocal()) {
                    Files.deleteIfExists(profile);
                }
            } catch (RuntimeException | IOException e) {
                // a foreign or broken profile is left for its owner
            }
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }

    static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
