package dev.clickstream.stack;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
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

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code up} does for a {@link LocalStack}, under its lock: starts whatever of the stack is not running (the
 * broker, the server, a cluster's ZooKeeper and other members) on the ports it had or free ones, waits until each
 * answers, and writes {@code stack.json} and the profile. A port taken while starting is retried once on others;
 * what this start began is stopped when it fails.
 */
final class StackStart {
    private static final BrokerPorts WELL_KNOWN_KAFKA = new BrokerPorts(9092, 9094, 9091, 9093);
    private static final ServerPorts WELL_KNOWN_CLICKHOUSE = new ServerPorts(8123, 9000);

    private final Path stateDir;
    private final String marker;
    private final StackFiles files;
    private final StackStop stop;

    StackStart(Path stateDir, String marker, StackFiles files, StackStop stop) {
        this.stateDir = stateDir;
        this.marker = marker;
        this.files = files;
        this.stop = stop;
    }

    LocalStack.UpOutcome run(LocalStack.UpOptions options, PrintWriter out) {
        StackState state = files.readState().orElseGet(() -> new StackState(0, null, 0, null, null,
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
            if (!Files.isRegularFile(files.profileFile())) {
                ProfileStore.save(files.profile(state), files.profileFile());
            }
            return LocalStack.UpOutcome.ALREADY_RUNNING;
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
        KafkaLogin kafkaLogin = new KafkaLogin("SASL_PLAINTEXT", KafkaBroker.SCRAM_MECHANISM, LocalStack.ADMIN_USER,
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
                Optional<String> kafkaFailure = broker.awaitReady(kafka.get(), kafkaPorts, LocalStack.ADMIN_USER,
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
                ProfileStore.save(files.profile(state), files.profileFile());
                out.flush();
                return LocalStack.UpOutcome.STARTED;
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
            localCluster.stop(cluster, (name, pid, grace) -> stop.stopService(name, pid, grace, nowhere));
        }
    }

    /** The cluster shape is the stack's for good: asked for at the first up, or none. */
    private ClusterShape shapeOf(StackState state, LocalStack.UpOptions options) {
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
        return StackStop.seconds(t0);
    }
}
