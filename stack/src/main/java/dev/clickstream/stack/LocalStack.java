package dev.clickstream.stack;

import dev.clickstream.common.cli.UserFacingException;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.common.profile.Secrets;
import dev.clickstream.stack.clickhouse.ClickHouseBinary;
import dev.clickstream.stack.clickhouse.ClickHouseServer;
import dev.clickstream.stack.clickhouse.ClickHouseServer.KafkaLogin;
import dev.clickstream.stack.clickhouse.ClickHouseServer.ServerPorts;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.cluster.ClusterStartFailure;
import dev.clickstream.stack.cluster.ClusterState;
import dev.clickstream.stack.cluster.LocalCluster;
import dev.clickstream.stack.kafka.KafkaBroker;
import dev.clickstream.stack.kafka.KafkaBroker.BrokerPorts;
import dev.clickstream.stack.kafka.KafkaDistribution;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.LogTail;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;
import dev.clickstream.stack.tls.LocalCertificates;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A local stack: one real Kafka broker and one real ClickHouse server, owned by a state folder. The
 * folder holds their configs, data and logs, the stack's pids, ports and generated passwords
 * ({@code stack.json}) and the connection profile the tools read ({@code profile.json}).
 */
public final class LocalStack {
    public static final String STATE_FILE = "stack.json";
    public static final String ADMIN_USER = "admin";

    /**
     * @param wellKnownPorts try Kafka's and ClickHouse's usual ports first (9092, 8123, ...); tests use random ones
     */
    /** @param cluster the shape of a local ClickHouse cluster, or null for one server */
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

    private static final BrokerPorts WELL_KNOWN_KAFKA = new BrokerPorts(9092, 9094, 9091, 9093);
    private static final ServerPorts WELL_KNOWN_CLICKHOUSE = new ServerPorts(8123, 9000);

    private final Path stateDir;
    private final String marker;
    private final StackFiles files;

    public LocalStack(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.marker = this.stateDir.toString();
        this.files = new StackFiles(this.stateDir);
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path profileFile() {
        return stateDir.resolve(ProfileStore.FILE_NAME);
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
        return files.locked(() -> doUp(options, out));
    }

    private UpOutcome doUp(UpOptions options, PrintWriter out) {
        StackState state = readState().orElseGet(() -> new StackState(0, null, 0, null, null,
                Secrets.generatePassword(24), Secrets.generatePassword(24), Secrets.generatePassword(24),
                options.topic(), null));
        ClusterShape shape = shapeOf(state, options);
        LocalCluster localCluster = new LocalCluster(stateDir, marker);
        Optional<ServiceProcess> kafka = ServiceProcess.attach(state.kafkaPid(), marker);
        Optional<ServiceProcess> clickhouse = ServiceProcess.attach(state.clickhousePid(), marker);
        boolean clusterRunning = state.cluster() == null || localCluster.allRunning(state.cluster());
        if (kafka.isPresent() && clickhouse.isPresent() && clusterRunning && (shape == null) == (state.cluster() == null)) {
            out.println("The local stack in " + stateDir + " is already running (kafka pid " + state.kafkaPid()
                    + ", clickhouse pid " + state.clickhousePid() + ").");
            out.flush();
            if (!Files.isRegularFile(profileFile())) {
                ProfileStore.save(files.profile(state), profileFile());
            }
            return UpOutcome.ALREADY_RUNNING;
        }

        out.println("Starting the local stack in " + stateDir);
        out.flush();
        KafkaDistribution distribution = KafkaDistribution.locate();
        ClickHouseBinary binary = ClickHouseBinary.findOrInstall(out, stateDir.resolve("install.log"));
        LocalCertificates certs = LocalCertificates.ensure(stateDir.resolve("tls"), state.keystorePassword());
        KafkaBroker broker = new KafkaBroker(stateDir.resolve("kafka"), marker, distribution);
        ClickHouseServer server = new ClickHouseServer(stateDir.resolve("clickhouse"), marker, binary);

        BrokerPorts kafkaPorts = state.kafkaPorts();
        ServerPorts chPorts = state.clickhousePorts();
        KafkaLogin kafkaLogin = new KafkaLogin("SASL_PLAINTEXT", KafkaBroker.SCRAM_MECHANISM, ADMIN_USER,
                state.kafkaPassword());
        for (int attempt = 1; ; attempt++) {
            ClusterState cluster = null;
            List<ServiceProcess> startedNow = new ArrayList<>();
            try {
                long t0 = System.nanoTime();
                if (kafka.isEmpty()) {
                    kafkaPorts = chooseKafkaPorts(kafkaPorts, options.wellKnownPorts(), out);
                    broker.writeConfig(kafkaPorts, certs);
                    broker.formatIfNeeded();
                    ServiceProcess p = broker.start();
                    startedNow.add(p);
                    kafka = Optional.of(p);
                    out.println("  kafka       starting: Kafka " + distribution.version() + " (KRaft), pid " + p.pid());
                }
                if (clickhouse.isEmpty()) {
                    chPorts = chooseClickHousePorts(chPorts, options.wellKnownPorts(), out);
                }
                if (shape != null) {
                    cluster = localCluster.plan(shape, chPorts, state.cluster());
                    cluster = localCluster.startZooKeeper(cluster, distribution, Deadline.in(options.startTimeout()), out);
                    // the stack's own server's config (macros, ZooKeeper) is read at its start only
                    if (clickhouse.isPresent() && state.cluster() == null) {
                        clickhouse.get().stop(Duration.ofSeconds(20));
                        clickhouse = Optional.empty();
                    }
                }
                if (clickhouse.isEmpty()) {
                    server.writeConfig(chPorts, state.clickhousePassword(), kafkaLogin, cluster == null ? null
                            : LocalCluster.roleOf(cluster, cluster.first(), state.clickhousePassword()));
                    ServiceProcess p = server.start();
                    startedNow.add(p);
                    clickhouse = Optional.of(p);
                    out.println("  clickhouse  starting: " + String.join(" ", binary.command()) + ", pid " + p.pid());
                }
                out.flush();
                Deadline deadline = Deadline.in(options.startTimeout());
                Optional<String> chFailure = server.awaitReady(clickhouse.get(), chPorts, state.clickhousePassword(),
                        deadline);
                if (chFailure.isPresent()) {
                    throw new StartFailure(chFailure.get(), server.errorLogFile(), server.stdoutFile());
                }
                out.printf("  clickhouse  ready after %.1f s: http://127.0.0.1:%d, native 127.0.0.1:%d%n",
                        seconds(t0), chPorts.http(), chPorts.tcp());
                out.flush();
                Optional<String> kafkaFailure = broker.awaitReady(kafka.get(), kafkaPorts, ADMIN_USER,
                        state.kafkaPassword(), deadline);
                if (kafkaFailure.isPresent()) {
                    throw new StartFailure(kafkaFailure.get(), broker.logFile(), null);
                }
                out.printf("  kafka       ready after %.1f s: PLAINTEXT 127.0.0.1:%d, SASL_PLAINTEXT 127.0.0.1:%d,"
                                + " SASL_SSL 127.0.0.1:%d (SCRAM-SHA-512)%n", seconds(t0), kafkaPorts.plaintext(),
                        kafkaPorts.saslPlaintext(), kafkaPorts.saslSsl());
                out.flush();
                if (cluster != null) {
                    cluster = localCluster.startOthers(cluster, binary, state.clickhousePassword(), kafkaLogin, deadline,
                            out).withMember(cluster.first().withPid(clickhouse.get().pid()));
                }
                String version;
                try (ClickHouse ch = ClickHouse.connect(ClickHouseServer.endpoint(chPorts, state.clickhousePassword()))) {
                    version = ch.version().text();
                }
                String topic = state.topic() == null ? options.topic() : state.topic();
                boolean created = KafkaBroker.ensureTopic(
                        KafkaEndpoint.plaintext(Ports.LOOPBACK + ":" + kafkaPorts.plaintext()), topic,
                        options.partitions());
                out.println("  topic       " + topic + (created ? " created (" + options.partitions() + " partitions)"
                        : " exists"));
                state = state.withKafka(kafka.get().pid(), kafkaPorts)
                        .withClickHouse(clickhouse.get().pid(), chPorts, version).withTopic(topic).withCluster(cluster);
                files.writeState(state);
                ProfileStore.save(files.profile(state), profileFile());
                out.flush();
                return UpOutcome.STARTED;
            } catch (StartFailure failure) {
                startedNow.forEach(p -> p.stop(Duration.ofSeconds(10)));
                boolean portRace = failure.logMentions("Address already in use");
                if (portRace && attempt == 1) {
                    out.println("  a port was taken while starting; trying again on other free ports");
                    kafka = kafka.filter(p -> !startedNow.contains(p));
                    clickhouse = clickhouse.filter(p -> !startedNow.contains(p));
                    kafkaPorts = null;
                    chPorts = null;
                    continue;
                }
                throw new UserFacingException(failure.getMessage() + "\n" + failure.logTail());
            } catch (ClusterStartFailure e) {
                abandon(startedNow, localCluster, cluster);
                throw new UserFacingException(e.getMessage(), e);
            } catch (RuntimeException e) {
                abandon(startedNow, localCluster, cluster);
                throw e;
            }
        }
    }

    /** Stops what this up started, the cluster's members included: no state names them, so nothing else would. */
    private void abandon(List<ServiceProcess> startedNow, LocalCluster localCluster, ClusterState cluster) {
        startedNow.forEach(p -> p.stop(Duration.ofSeconds(10)));
        if (cluster != null) {
            PrintWriter nowhere = new PrintWriter(java.io.Writer.nullWriter());
            localCluster.stop(cluster, (name, pid, grace) -> stopService(name, pid, grace, nowhere));
        }
    }

    /** The cluster shape is the stack's for good: asked for at the first up, or none. */
    private ClusterShape shapeOf(StackState state, UpOptions options) {
        ClusterShape before = state.cluster() == null ? null : state.cluster().shape();
        if (options.cluster() == null) {
            return before;
        }
        if (before != null && !before.equals(options.cluster())) {
            throw new UserFacingException("the stack in " + stateDir + " is a " + before + " cluster, not "
                    + options.cluster() + ": `./clickstream down --purge` first, or use another --state-dir",
                    dev.clickstream.common.cli.ExitCodes.USAGE, null);
        }
        return options.cluster();
    }

    /** A service that did not come up, with the logs that tell why. */
    private static final class StartFailure extends RuntimeException {
        private final Path log;
        private final Path secondLog;

        StartFailure(String message, Path log, Path secondLog) {
            super(message);
            this.log = log;
            this.secondLog = secondLog;
        }

        boolean logMentions(String text) {
            return Stream.of(log, secondLog).filter(p -> p != null).anyMatch(p ->
                    LogTail.lastLines(p, 60).stream().anyMatch(l -> l.contains(text)));
        }

        String logTail() {
            String tail = LogTail.format(log, 12);
            if (secondLog != null && !LogTail.lastLines(secondLog, 1).isEmpty()) {
                tail += "\n" + LogTail.format(secondLog, 6);
            }
            return tail;
        }
    }

    private static BrokerPorts chooseKafkaPorts(BrokerPorts previous, boolean wellKnown, PrintWriter out) {
        if (previous != null && previous.all().stream().allMatch(Ports::isFree)) {
            return previous;
        }
        if (!wellKnown) {
            return BrokerPorts.allocate();
        }
        BrokerPorts w = WELL_KNOWN_KAFKA;
        return new BrokerPorts(pick(w.plaintext(), out), pick(w.saslPlaintext(), out), pick(w.saslSsl(), out),
                pick(w.controller(), out));
    }

    private static ServerPorts chooseClickHousePorts(ServerPorts previous, boolean wellKnown, PrintWriter out) {
        if (previous != null && previous.all().stream().allMatch(Ports::isFree)) {
            return previous;
        }
        if (!wellKnown) {
            return ServerPorts.allocate();
        }
        return new ServerPorts(pick(WELL_KNOWN_CLICKHOUSE.http(), out), pick(WELL_KNOWN_CLICKHOUSE.tcp(), out));
    }

    private static int pick(int preferred, PrintWriter out) {
        if (Ports.isFree(preferred)) {
            return preferred;
        }
        int other = Ports.freePort();
        out.println("  port " + preferred + " is taken; using " + other);
        return other;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    // ---------------------------------------------------------------- down

    /** Stops both services by pid (SIGTERM, then SIGKILL after a grace period); data stays unless purged. */
    public void down(boolean purge, PrintWriter out) {
        if (!Files.isDirectory(stateDir)) { // taking the lock would create the folder again
            out.println("No local stack in " + stateDir + ".");
            out.flush();
            return;
        }
        files.locked(() -> {
            Optional<StackState> maybe = readState();
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
                new LocalCluster(stateDir, marker).folders(state.cluster()).forEach(LocalStack::deleteRecursively);
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

    private void stopService(String name, long pid, Duration grace, PrintWriter out) {
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
        for (String name : List.of("kafka", "clickhouse", "tls", "companions", STATE_FILE, "install.log")) {
            deleteRecursively(stateDir.resolve(name));
        }
        Path profile = profileFile();
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
