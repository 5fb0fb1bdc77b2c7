package dev.clickstream.transfer.shard;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.replica.ReplicatedTarget;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.SingleServerTarget;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.destination.ClusterAccess;
import dev.clickstream.transfer.destination.ClusterTopology;
import dev.clickstream.transfer.destination.ShardMap;
import dev.clickstream.transfer.destination.Target;
import dev.clickstream.transfer.destination.TargetTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A transfer's connections to a sharded cluster and the {@link ShardedStore} over them. Each shard is a
 * {@link Target} of its own: a shard of one server is that server (the configured one for its own shard), a shard
 * of several replicas a {@link ReplicatedTarget}, which fails over between them as on a one-shard cluster.
 */
public final class ShardedTarget implements Target {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    private final ClusterTopology topology;
    private final List<ClickHouse> opened = new ArrayList<>();
    private final List<Target> shards = new ArrayList<>();
    private final DistributedTable all;

    /** The started server already has the database and the offset log (created ON CLUSTER from there). */
    public ShardedTarget(ClusterTopology topology, ClusterAccess access, TargetTable target) {
        this.topology = topology;
        ClickHouse started = access.started();
        this.all = new DistributedTable(started, target.placement(), target.database(), target.table());
        try {
            for (ClusterTopology.Shard shard : topology.shards()) {
                int index = shards.size();
                if (shard.replicas().size() > 1) {
                    shards.add(new ReplicatedTarget(topology, shard, access, target));
                    LOG.info("shard {} of cluster {} (partitions % {} = {}): {} replicas", shard.num(),
                            topology.cluster(), topology.shards().size(), index, shard.replicas().size());
                    continue;
                }
                ClusterTopology.Server server = shard.writeTarget();
                ClickHouse ch = started;
                if (!server.local()) {
                    String url = topology.urlOf(server, access.configured().url(), access.httpPorts());
                    ch = ClickHouse.connect(access.configured().withUrl(url), Duration.ofSeconds(10),
                            access.socketTimeout());
                    opened.add(ch);
                    topology.expectedAt(ch, server, url);
                }
                OffsetLog log = new OffsetLog(ch, target);
                log.createIfMissing();
                shards.add(new SingleServerTarget(new ClickHouseSink(ch, target), log));
                LOG.info("shard {} of cluster {} (partitions % {} = {}): {} at {}", shard.num(), topology.cluster(),
                        topology.shards().size(), index, server.address(), ch.endpoint().url());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Returns once every shard has a server to use, with every part the cluster committed. */
    @Override
    public void awaitUsable() {
        shards.forEach(Target::awaitUsable);
    }

    public ShardMap map() {
        return topology.map();
    }

    /** True when any shard's log has this topic's history. */
    @Override
    public boolean hasHistory() {
        return shards.stream().anyMatch(Target::hasHistory);
    }

    /** After a DROP cleanup, the Distributed table is made again over the new tables. */
    @Override
    public void cleanedUp(CleanupPolicy policy) {
        if (policy == CleanupPolicy.DROP) {
            all.drop();
        }
    }

    @Override
    public DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean schemaEvolution, String user) {
        List<DeliveryStore> stores = new ArrayList<>();
        for (Target shard : shards) {
            stores.add(shard.store(configured, unparsed, schemaEvolution, user));
        }
        return new ShardedStore(topology.map(), stores, all);
    }

    @Override
    public void close() {
        shards.forEach(Target::close);
        opened.forEach(ClickHouse::close);
    }
}
