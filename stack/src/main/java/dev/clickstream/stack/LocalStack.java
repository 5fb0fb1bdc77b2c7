package dev.clickstream.stack;

import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.cluster.LocalCluster;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A local stack: one real Kafka broker and one real ClickHouse server (or a local cluster of them, with its
 * ZooKeeper), owned by a state folder. The folder holds their configs, data and logs, the stack's pids, ports and
 * generated passwords ({@code stack.json}) and the connection profile the tools read ({@code profile.json}).
 * {@link StackStart} brings it up, {@link StackStop} takes it down; both under the folder's lock.
 */
public final class LocalStack {
    public static final String STATE_FILE = "stack.json";
    public static final String ADMIN_USER = "admin";

    /**
     * @param wellKnownPorts try Kafka's and ClickHouse's usual ports first (9092, 8123, ...); tests use random ones
     * @param cluster        the shape of a local ClickHouse cluster, or null for one server
     */
    public record UpOptions(String topic, int partitions, boolean wellKnownPorts, Duration startTimeout,
                            ClusterShape cluster) {
        public UpOptions(String topic, int partitions, boolean wellKnownPorts, Duration startTimeout) {
            this(topic, partitions, wellKnownPorts, startTimeout, null);
        }

        public static UpOptions defaults() {
            return new UpOptions(ConnectionProfile.DEFAULT_TOPIC, 3, true, Duration.ofSeconds(90));
        }

        public UpOptions withCluster(ClusterShape shape) {
            return new UpOptions(topic, partitions, wellKnownPorts, startTimeout, shape);
        }

        public UpOptions withRandomPorts() {
            return new UpOptions(topic, partitions, false, startTimeout, cluster);
        }
    }

    public enum UpOutcome { STARTED, ALREADY_RUNNING }

    private final Path stateDir;
    private final String marker;
    private final StackFiles files;
    private final StackStop stop;

    public LocalStack(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.marker = this.stateDir.toString();
        this.files = new StackFiles(this.stateDir);
        this.stop = new StackStop(this.stateDir, marker, files);
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path profileFile() {
        return files.profileFile();
    }

    public Path kafkaLog() {
        return stateDir.resolve("kafka").resolve("kafka.log");
    }

    public Path clickhouseLog() {
        return stateDir.resolve("clickhouse").resolve("log").resolve("clickhouse-server.log");
    }

    /** Every service's log by its name in status: kafka, clickhouse, and a cluster's zookeeper and members. */
    public Map<String, Path> logFiles() {
        Map<String, Path> logs = new LinkedHashMap<>();
        logs.put("kafka", kafkaLog());
        logs.put("clickhouse", clickhouseLog());
        readState().map(StackState::cluster).ifPresent(c -> {
            LocalCluster cluster = new LocalCluster(stateDir, marker);
            logs.put("zookeeper", cluster.zookeeperDir().resolve("zookeeper.log"));
            c.others().forEach(m -> logs.put(m.service(), cluster.memberDir(m).resolve("log")
                    .resolve("clickhouse-server.log")));
        });
        return logs;
    }

    public Path clickhouseErrorLog() {
        return stateDir.resolve("clickhouse").resolve("log").resolve("clickhouse-server.err.log");
    }

    // ---------------------------------------------------------------- up

    /** Starts whatever is not running; a running stack is left alone. */
    public UpOutcome up(UpOptions options, PrintWriter out) {
        return files.locked(() -> new StackStart(stateDir, marker, files, stop).run(options, out));
    }

    // ---------------------------------------------------------------- down

    /** Stops every service by pid (SIGTERM, then SIGKILL after a grace period); data stays unless purged. */
    public void down(boolean purge, PrintWriter out) {
        stop.down(purge, out);
    }

    // ---------------------------------------------------------------- services one by one (outage tests)

    /** Stops ClickHouse alone, keeping its ports, as an outage would. */
    public void stopClickHouse() {
        files.locked(() -> {
            StackState s = files.requireState();
            ServiceProcess.attach(s.clickhousePid(), marker).ifPresent(p -> p.stop(Duration.ofSeconds(20)));
            Deadline.in(Duration.ofSeconds(10)).until(Duration.ofMillis(100),
                    () -> s.clickhousePorts().all().stream().noneMatch(Ports::isListening));
            return null;
        });
    }

    /**
     * The running ClickHouse server, known by its pid and checked to be this stack's (a recycled pid is never
     * returned): for tests that signal it, e.g. SIGSTOP to freeze it in place.
     */
    public Optional<ServiceProcess> clickhouseProcess() {
        return readState().flatMap(s -> ServiceProcess.attach(s.clickhousePid(), marker));
    }

    /** Stops the broker alone, keeping its ports. */
    public void stopKafka() {
        files.locked(() -> {
            StackState s = files.requireState();
            ServiceProcess.attach(s.kafkaPid(), marker).ifPresent(p -> p.stop(Duration.ofSeconds(30)));
            Deadline.in(Duration.ofSeconds(10)).until(Duration.ofMillis(100),
                    () -> s.kafkaPorts().all().stream().noneMatch(Ports::isListening));
            return null;
        });
    }

    // ---------------------------------------------------------------- status

    public boolean isRunning() {
        return readState().map(s -> ServiceProcess.attach(s.kafkaPid(), marker).isPresent()
                && ServiceProcess.attach(s.clickhousePid(), marker).isPresent()).orElse(false);
    }

    public StackStatus status() {
        return readState().map(s -> new StackProbe(stateDir, marker).status(s))
                .orElseGet(() -> new StackStatus(List.of(), Map.of(), Map.of()));
    }

    // ---------------------------------------------------------------- state and profile

    public Optional<StackState> readState() {
        return files.readState();
    }

    /** The connection profile of this stack (what {@code up} writes to profile.json). */
    public ConnectionProfile profile() {
        return files.profile(files.requireState());
    }

}
