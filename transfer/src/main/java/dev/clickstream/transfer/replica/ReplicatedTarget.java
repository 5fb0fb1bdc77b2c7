package dev.clickstream.transfer.replica;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.ClickHouseStore;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.store.FailureClass;
import dev.clickstream.transfer.destination.ClusterAccess;
import dev.clickstream.transfer.destination.ClusterTopology;
import dev.clickstream.transfer.destination.Target;
import dev.clickstream.transfer.destination.TargetTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A transfer's connections to the replicas of one shard: the configured server first when it is one of them (else
 * the shard's first replica), then the others, each at the URL {@link ClusterTopology#urlOf} gives it; the
 * {@link ReplicaChoice} over them and the {@link ReplicatedStore}. Replicas are named by the URL they are reached
 * at; a replica's name in ZooKeeper is its {@code replica} macro, asked when it answers ({@code is_local} of 18.16
 * is per shard and cannot tell replicas apart). Each replica that answers at the start is checked to be a server
 * of this shard, so a wrong port cannot send a shard's partitions to another.
 */
public final class ReplicatedTarget implements Target, ReplicaChoice.Probe {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    private static final Duration PROBE_CONNECT = Duration.ofSeconds(2);
    private static final Duration PROBE_ANSWER = Duration.ofSeconds(10);

    private record Member(String url, ClickHouse ch, ClickHouse probe, ClickHouseSink sink, OffsetLog log,
                          ReplicaStatus status) {
    }

    /** A replica of the shard and the URL it is reached at. */
    record Address(ClusterTopology.Server server, String url) {
    }

    private final int shardNum;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, String> names = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<ClickHouse> opened = new ArrayList<>();
    private final ReplicaChoice choice;

    /**
     * The session the start went through ({@link ClusterAccess#started}) is used for the replica it is; every other
     * replica gets a session of its own.
     */
    public ReplicatedTarget(ClusterTopology topology, ClusterTopology.Shard shard, ClusterAccess access,
                            TargetTable target) {
        this.shardNum = shard.num();
        ClickHouseEndpoint configured = access.configured();
        ClickHouse started = access.started();
        try {
            for (Address a : addresses(topology, shard, configured.url(), access.httpPorts())) {
                String url = a.url();
                ClickHouse ch = started;
                if (!sameUrl(url, started.endpoint().url())) {
                    ch = open(configured, url, access.socketTimeout());
                    opened.add(ch);
                }
                ClickHouse probe = open(configured, url, PROBE_ANSWER);
                opened.add(probe);
                checkShard(topology, a, probe);
                ReplicaStatus status = new ReplicaStatus(probe, target.database(), target.table());
                members.put(url, new Member(url, ch, probe, new ClickHouseSink(ch, target), new OffsetLog(ch, target),
                        status));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.choice = new ReplicaChoice(members.keySet().iterator().next(), LOG::warn);
        LOG.info("replicas of shard {}: {}; writing to {} while it answers", shardNum,
                String.join(", ", members.keySet()), choice.current());
    }

    /** A replica that does not answer now is checked by nobody: it is used only once it answers, as what it is. */
    private static void checkShard(ClusterTopology topology, Address a, ClickHouse probe) {
        try {
            topology.expectedAt(probe, a.server(), a.url());
        } catch (RuntimeException e) {
            if (!FailureClass.unanswered(e)) {
                throw e;
            }
        }
    }

    /**
     * The shard's replicas by URL, each once: the configured server first when it is one of them, else the
     * shard's write target (its first replica), then the others in replica order.
     */
    static List<Address> addresses(ClusterTopology topology, ClusterTopology.Shard shard, String configuredUrl,
                                   Map<String, Integer> httpPorts) {
        List<Address> all = new ArrayList<>();
        for (ClusterTopology.Server s : shard.replicas()) {
            String url = strip(topology.urlOf(s, configuredUrl, httpPorts));
            if (all.stream().noneMatch(a -> sameUrl(a.url(), url))) {
                all.add(new Address(s, url));
            }
        }
        Address first = all.stream().filter(a -> sameUrl(a.url(), configuredUrl)).findFirst()
                .orElse(all.stream().filter(a -> a.server().equals(shard.writeTarget())).findFirst().orElse(all.get(0)));
        List<Address> ordered = new ArrayList<>(List.of(first));
        all.stream().filter(a -> a != first).forEach(ordered::add);
        return ordered;
    }

    /**
     * The configured server when it answers, else the first server of {@code cluster_http_ports} that does (on the
     * configured server's scheme): a transfer can start while its own server is down.
     */
    public static ClickHouse connectAnswering(ClickHouseEndpoint configured, Duration socketTimeout,
                                              Map<String, Integer> httpPorts) {
        ClickHouse ch = ClickHouse.connect(configured, Duration.ofSeconds(10), socketTimeout);
        try {
            ch.version();
            return ch;
        } catch (RuntimeException e) {
            if (!FailureClass.unanswered(e) || httpPorts.isEmpty()) {
                ch.close();
                throw e;
            }
            for (Map.Entry<String, Integer> other : httpPorts.entrySet()) {
                String host = other.getKey().substring(0, other.getKey().lastIndexOf(':'));
                String url = URI.create(configured.url()).getScheme() + "://" + host + ":" + other.getValue();
                ClickHouse alt = open(configured, url, socketTimeout);
                try {
                    alt.version();
                    LOG.warn("ClickHouse at {} does not answer: starting through {} of its cluster", configured.url(), url);
                    ch.close();
                    return alt;
                } catch (RuntimeException ignored) {
                    alt.close();
                }
            }
            ch.close();
            throw e;
        }
    }

    private static ClickHouse open(ClickHouseEndpoint e, String url, Duration socketTimeout) {
        return ClickHouse.connect(e.withUrl(url), url.equals(e.url()) ? Duration.ofSeconds(10) : PROBE_CONNECT,
                socketTimeout);
    }

    private static boolean sameUrl(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Returns once the replica to use answers and has every part the cluster committed, or another may be used safely. */
    @Override
    public void awaitUsable() {
        while (!(choice.start(this) instanceof ReplicaChoice.Using)) {
            try {
                Thread.sleep(1000); // a wait of the service for servers, not a test's synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a replica", e);
            }
        }
    }

    /** The history of the replica in use ({@link #awaitUsable} first). */
    @Override
    public boolean hasHistory() {
        return members.get(choice.current()).log().hasHistory();
    }

    public String current() {
        return choice.current();
    }

    public int shardNum() {
        return shardNum;
    }

    @Override
    public DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean schemaEvolution, String user) {
        Map<String, DeliveryStore> stores = new LinkedHashMap<>();
        members.forEach((url, m) -> stores.put(url, new ClickHouseStore(m.sink(), m.log(), configured, unparsed,
                schemaEvolution, user)));
        return new ReplicatedStore(stores, choice, this);
    }

    // ---------------------------------------------------------------- the probe, over the real servers

    @Override
    public List<String> answering() {
        List<String> out = new ArrayList<>();
        for (Member m : members.values()) {
            try {
                names.put(m.url(), m.status().name());
                out.add(m.url());
            } catch (RuntimeException e) {
                // does not answer now
            }
        }
        return out;
    }

    /** By URL for a replica whose name is known, else by its name in ZooKeeper (one that never answered). */
    @Override
    public Set<String> withSession(String via) {
        Set<String> out = new TreeSet<>();
        for (String name : members.get(via).status().withSession()) {
            out.add(names.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey)
                    .findFirst().orElse(name));
        }
        return out;
    }

    @Override
    public Optional<String> behind(String replica) {
        return members.get(replica).status().behind();
    }

    @Override
    public void close() {
        opened.forEach(ClickHouse::close); // not the session the start went through: the service closes that
    }
}
