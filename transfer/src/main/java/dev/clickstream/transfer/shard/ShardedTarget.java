package dev.clickstream.transfer.shard;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.replica.ReplicatedTarget;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.ClickHouseStore;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.target.ClusterTopology;
import dev.clickstream.transfer.target.ShardMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A transfer's connections to a sharded cluster and the {@link ShardedStore} over them. A shard of one server is
 * written to that server (the configured one for its own shard); a shard of several replicas through a
 * {@link ReplicatedTarget}, which fails over between them as on a one-shard cluster.
 */
public final class ShardedTarget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    /** How one shard is reached: its replicas, or its one server's sink and offset log. */
    private record ShardWay(ReplicatedTarget replicas, ClickHouseSink sink, OffsetLog log) {
        DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean evolution, String database,
                            String user) {
            return replicas != null ? replicas.store(configured, unparsed, evolution, database, user)
                    : new ClickHouseStore(sink, log, configured, unparsed, evolution, database, user);
        }

        boolean hasHistory() {
            return replicas != null ? replicas.hasHistory() : log.hasHistory();
        }
    }

    private final ClusterTopology topology;
    private final List<ClickHouse> opened = new ArrayList<>();
    private final List<ShardWay> ways = new ArrayList<>();
    private final DistributedTable all;

    /**
     * The started server already has the database and the offset log (created ON CLUSTER from there).
     *
     * @param configured the configured server's endpoint (its URL names it in the topology)
     * @param started    the session the start went through: the configured server, or another when it was down
     */
    public ShardedTarget(ClusterTopology topology, ClickHouseEndpoint configured, ClickHouse started,
                         Map<String, Integer> httpPorts, Duration socketTimeout, String database, String table,
                         String topic, String topicId, Placement placement) {
        this.topology = topology;
        this.all = new DistributedTable(started, placement, database, table);
        try {
            for (ClusterTopology.Shard shard : topology.shards()) {
                int index = ways.size();
                if (shard.replicas().size() > 1) {
                    ways.add(new ShardWay(new ReplicatedTarget(topology, shard, configured, started, httpPorts,
                            socketTimeout, database, table, topic, topicId, placement), null, null));
                    LOG.info("shard {} of cluster {} (partitions % {} = {}): {} replicas", shard.num(),
                            topology.cluster(), topology.shards().size(), index, shard.replicas().size());
                    continue;
                }
                ClusterTopology.Server server = shard.writeTarget();
                ClickHouse ch = started;
                if (!server.local()) {
                    String url = topology.urlOf(server, configured.url(), httpPorts);
                    ch = ClickHouse.connect(configured.withUrl(url), Duration.ofSeconds(10), socketTimeout);
                    opened.add(ch);
                    topology.expectedAt(ch, server, url);
                }
                OffsetLog log = new OffsetLog(ch, database, table, topic, topicId, placement);
                log.createIfMissing();
                ways.add(new ShardWay(null, new ClickHouseSink(ch, database, table, topic, placement), log));
                LOG.info("shard {} of cluster {} (partitions % {} = {}): {} at {}", shard.num(), topology.cluster(),
                        topology.shards().size(), index, server.address(), ch.endpoint().url());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Returns once every shard of several replicas has one to use, with every part the cluster committed: before
     * any position or history is read ({@link ReplicatedTarget#awaitUsable}).
     */
    public void awaitUsable() {
        ways.stream().filter(w -> w.replicas() != null).forEach(w -> w.replicas().awaitUsable());
    }

    public ShardMap map() {
        return topology.map();
    }

    /** True when any shard's log has this topic's history: the cleanup policy is for a first activation only. */
    public boolean hasHistory() {
        return ways.stream().anyMatch(ShardWay::hasHistory);
    }

    /** After a DROP cleanup, the Distributed table is made again over the new tables. */
    public void dropDistributed() {
        all.drop();
    }

    public DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean schemaEvolution, String database,
                               String user) {
        List<DeliveryStore> stores = new ArrayList<>();
        for (ShardWay way : ways) {
            stores.add(way.store(configured, unparsed, schemaEvolution, database, user));
        }
        return new ShardedStore(topology.map(), stores, all);
    }

    @Override
    public void close() {
        ways.stream().filter(w -> w.replicas() != null).forEach(w -> w.replicas().close());
        opened.forEach(ClickHouse::close);
    }
}
