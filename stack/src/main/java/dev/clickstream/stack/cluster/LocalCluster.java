package dev.clickstream.stack.cluster;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.StackStatus;
import dev.clickstream.stack.clickhouse.ClickHouseBinary;
import dev.clickstream.stack.clickhouse.ClickHouseServer;
import dev.clickstream.stack.clickhouse.ClickHouseServer.ClusterRole;
import dev.clickstream.stack.clickhouse.ClickHouseServer.KafkaLogin;
import dev.clickstream.stack.clickhouse.ClickHouseServer.ServerPorts;
import dev.clickstream.stack.kafka.KafkaDistribution;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.LongPredicate;

/**
 * The cluster part of a local stack ({@code up --cluster SHARDSxREPLICAS}): one ZooKeeper and the ClickHouse
 * servers beyond the stack's own, each in its own folder with its macros and the one remote_servers cluster.
 * The stack starts its own server (shard 1, replica 1) with {@link #roleOf} and this class the others.
 */
public final class LocalCluster {
    private final Path stateDir;
    private final String marker;

    public LocalCluster(Path stateDir, String marker) {
        this.stateDir = stateDir;
        this.marker = marker;
    }

    /** {@link #plan(ClusterShape, ServerPorts, ClusterState, LongPredicate, IntPredicate)} against this machine. */
    public ClusterState plan(ClusterShape shape, ServerPorts firstPorts, ClusterState previous) {
        return plan(shape, firstPorts, previous, pid -> ServiceProcess.attach(pid, marker).isPresent(), Ports::isFree);
    }

    /**
     * Ports for every member: the stack's server keeps {@code firstPorts}; ZooKeeper and every other member keep
     * theirs while their process runs (its ports are busy because it holds them: new ones would leave it
     * listening where nobody looks, and a member restarted next to it pointing at a ZooKeeper port where nothing
     * listens), and when stopped keep them if they are free, else get new ones.
     *
     * @param running whether the process with this pid is still the stack's
     * @param free whether a port can be bound now
     */
    public static ClusterState plan(ClusterShape shape, ServerPorts firstPorts, ClusterState previous,
                                    LongPredicate running, IntPredicate free) {
        List<ClusterState.Member> members = new ArrayList<>();
        for (int[] sr : shape.members()) {
            Optional<ClusterState.Member> before = previous == null ? Optional.empty() : previous.members().stream()
                    .filter(m -> m.shard() == sr[0] && m.replica() == sr[1]).findFirst();
            boolean first = sr[0] == 1 && sr[1] == 1;
            boolean keeps = before.isPresent() && running.test(before.get().pid());
            ServerPorts ports = first ? firstPorts : before.map(ClusterState.Member::ports)
                    .filter(p -> keeps || p.all().stream().allMatch(free::test)).orElseGet(ServerPorts::allocate);
            int interserver = before.map(ClusterState.Member::interserverPort).filter(p -> keeps || free.test(p))
                    .orElseGet(Ports::freePort);
            members.add(new ClusterState.Member(sr[0], sr[1], before.map(ClusterState.Member::pid).orElse(0L), ports,
                    interserver));
        }
        int zk = previous != null && (running.test(previous.zookeeperPid()) || free.test(previous.zookeeperPort()))
                ? previous.zookeeperPort() : Ports.freePort();
        return new ClusterState(shape, previous == null ? 0 : previous.zookeeperPid(), zk, members);
    }

    public static ClusterRole roleOf(ClusterState cluster, ClusterState.Member m, String adminPassword) {
        return new ClusterRole(ClusterShape.NAME, m.shard(), m.replica(), m.interserverPort(), cluster.zookeeperPort(),
                cluster.shardTcpPorts(), adminPassword);
    }

    public Path zookeeperDir() {
        return stateDir.resolve("zookeeper");
    }

    public Path memberDir(ClusterState.Member m) {
        return m.isFirst() ? stateDir.resolve("clickhouse") : stateDir.resolve(m.service());
    }

    /** Starts ZooKeeper when it is not running and waits for it; the cluster with its pid. */
    public ClusterState startZooKeeper(ClusterState cluster, KafkaDistribution distribution, Deadline deadline,
                                       PrintWriter out) {
        if (ServiceProcess.attach(cluster.zookeeperPid(), marker).isPresent()) {
            return cluster;
        }
        ZooKeeperServer zk = new ZooKeeperServer(zookeeperDir(), marker, distribution);
        zk.writeConfig(cluster.zookeeperPort());
        ServiceProcess p = zk.start();
        out.println("  zookeeper   starting: ZooKeeper from Kafka's distribution, pid " + p.pid());
        out.flush();
        Optional<String> failure = zk.awaitReady(p, cluster.zookeeperPort(), deadline);
        if (failure.isPresent()) {
            p.stop(Duration.ofSeconds(10));
            throw new ClusterStartFailure(failure.get() + "\n" + dev.clickstream.stack.process.LogTail.format(
                    zk.logFile(), 12));
        }
        out.printf("  zookeeper   ready: 127.0.0.1:%d%n", cluster.zookeeperPort());
        out.flush();
        return cluster.withZooKeeper(p.pid());
    }

    /** Starts every member beyond the stack's own server that is not running, and waits for each. */
    public ClusterState startOthers(ClusterState cluster, ClickHouseBinary binary, String adminPassword,
                                    KafkaLogin kafka, Deadline deadline, PrintWriter out) {
        ClusterState now = cluster;
        Map<ClusterState.Member, ServiceProcess> started = new LinkedHashMap<>();
        for (ClusterState.Member m : cluster.others()) {
            if (ServiceProcess.attach(m.pid(), marker).isPresent()) {
                continue;
            }
            ClickHouseServer server = new ClickHouseServer(memberDir(m), marker, binary);
            server.writeConfig(m.ports(), adminPassword, kafka, roleOf(cluster, m, adminPassword));
            ServiceProcess p = server.start();
            out.printf("  %-11s starting: shard %d, replica %d, pid %d%n", m.service(), m.shard(), m.replica(), p.pid());
            started.put(m, p);
        }
        out.flush();
        for (Map.Entry<ClusterState.Member, ServiceProcess> e : started.entrySet()) {
            ClusterState.Member m = e.getKey();
            ClickHouseServer server = new ClickHouseServer(memberDir(m), marker, binary);
            Optional<String> failure = server.awaitReady(e.getValue(), m.ports(), adminPassword, deadline);
            if (failure.isPresent()) {
                started.values().forEach(p -> p.stop(Duration.ofSeconds(10)));
                throw new ClusterStartFailure(m.service() + ": " + failure.get() + "\n"
                        + dev.clickstream.stack.process.LogTail.format(server.errorLogFile(), 12));
            }
            out.printf("  %-11s ready: http://127.0.0.1:%d, native 127.0.0.1:%d%n", m.service(), m.ports().http(),
                    m.ports().tcp());
            now = now.withMember(m.withPid(e.getValue().pid()));
        }
        out.flush();
        return now;
    }

    /** How the stack stops one of its services by pid, with its report line: the same for every service. */
    @FunctionalInterface
    public interface Stopper {
        void stop(String service, long pid, Duration grace);
    }

    /** Stops the members beyond the stack's own server, then ZooKeeper. */
    public void stop(ClusterState cluster, Stopper stopper) {
        for (ClusterState.Member m : cluster.others()) {
            stopper.stop(m.service(), m.pid(), Duration.ofSeconds(20));
        }
        stopper.stop("zookeeper", cluster.zookeeperPid(), Duration.ofSeconds(10));
    }

    /** The folders of ZooKeeper and of the members beyond the stack's own server, for down --purge. */
    public List<Path> folders(ClusterState cluster) {
        List<Path> out = new ArrayList<>(List.of(zookeeperDir()));
        cluster.others().forEach(m -> out.add(memberDir(m)));
        return out;
    }

    public boolean allRunning(ClusterState cluster) {
        return ServiceProcess.attach(cluster.zookeeperPid(), marker).isPresent() && cluster.others().stream()
                .allMatch(m -> ServiceProcess.attach(m.pid(), marker).isPresent());
    }

    /** Health of ZooKeeper and of each member beyond the stack's own server, for status. */
    public List<StackStatus.Service> services(ClusterState cluster, String adminPassword) {
        List<StackStatus.Service> out = new ArrayList<>();
        boolean zkRunning = ServiceProcess.attach(cluster.zookeeperPid(), marker).isPresent();
        boolean zkHealthy = zkRunning && "imok".equals(ZooKeeperServer.ask(cluster.zookeeperPort(), "ruok"));
        out.add(new StackStatus.Service("zookeeper", cluster.zookeeperPid(), zkRunning, zkHealthy,
                Map.of("CLIENT", Ports.LOOPBACK + ":" + cluster.zookeeperPort()), !zkRunning ? "not running"
                        : zkHealthy ? "standalone, for cluster " + ClusterShape.NAME + " (" + cluster.shape() + ")"
                        : "not answering ruok"));
        for (ClusterState.Member m : cluster.others()) {
            boolean running = ServiceProcess.attach(m.pid(), marker).isPresent();
            String detail = running ? "not answering" : "not running";
            boolean healthy = false;
            if (running) {
                try (ClickHouse ch = ClickHouse.connect(ClickHouseServer.endpoint(m.ports(), adminPassword),
                        Duration.ofSeconds(3), Duration.ofSeconds(10))) {
                    detail = "ClickHouse " + ch.version() + ", shard " + m.shard() + ", replica " + m.replica();
                    healthy = true;
                } catch (RuntimeException e) {
                    detail = "not answering: " + e.getMessage();
                }
            }
            Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put("HTTP", "http://" + Ports.LOOPBACK + ":" + m.ports().http());
            endpoints.put("NATIVE", Ports.LOOPBACK + ":" + m.ports().tcp());
            out.add(new StackStatus.Service(m.service(), m.pid(), running, healthy, endpoints, detail));
        }
        return out;
    }
}
