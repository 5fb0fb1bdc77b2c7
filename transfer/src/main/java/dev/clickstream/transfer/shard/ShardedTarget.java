package dev.clickstream.transfer.shard;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.Placement;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.ClickHouseStore;
import dev.clickstream.transfer.sink.DeliveryStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A transfer's connections to a sharded cluster: one to a replica of each shard (the configured server for its
 * own shard), each with its sink and offset log, and the {@link ShardedStore} over them.
 */
public final class ShardedTarget implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    private final ClusterTopology topology;
    private final List<ClickHouse> opened = new ArrayList<>();
    private final List<ClickHouseSink> sinks = new ArrayList<>();
    private final List<OffsetLog> logs = new ArrayList<>();
    private final DistributedTable all;

    /** The configured server already has the database and the offset log (created ON CLUSTER from there). */
    public ShardedTarget(ClusterTopology topology, ClickHouse configured, Map<String, Integer> httpPorts,
                         Duration socketTimeout, String database, String table, String topic, String topicId,
                         Placement placement) {
        this.topology = topology;
        this.all = new DistributedTable(configured, placement, database, table);
        try {
            for (ClusterTopology.Shard shard : topology.shards()) {
                ClusterTopology.Server server = shard.writeTarget();
                ClickHouse ch = configured;
                if (!server.local()) {
                    String url = topology.urlOf(server, configured.endpoint().url(), httpPorts);
                    ClickHouseEndpoint e = configured.endpoint();
                    ch = ClickHouse.connect(new ClickHouseEndpoint(url, e.user(), e.password(), e.database(), e.caFile()),
                            Duration.ofSeconds(10), socketTimeout);
                    opened.add(ch);
                    topology.expectedAt(ch, server, url);
                }
                sinks.add(new ClickHouseSink(ch, database, table, topic, placement));
                OffsetLog log = new OffsetLog(ch, database, table, topic, topicId, placement);
                log.createIfMissing();
                logs.add(log);
                LOG.info("shard {} of cluster {} (partitions % {} = {}): {} at {}", shard.num(), topology.cluster(),
                        topology.shards().size(), sinks.size() - 1, server.address(), ch.endpoint().url());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public ShardMap map() {
        return topology.map();
    }

    /** True when any shard's log has this topic's history: the cleanup policy is for a first activation only. */
    public boolean hasHistory() {
        return logs.stream().anyMatch(OffsetLog::hasHistory);
    }

    /** After a DROP cleanup, the Distributed table is made again over the new tables. */
    public void dropDistributed() {
        all.drop();
    }

    public DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean schemaEvolution, String database,
                               String user) {
        List<DeliveryStore> stores = new ArrayList<>();
        for (int s = 0; s < sinks.size(); s++) {
            stores.add(new ClickHouseStore(sinks.get(s), logs.get(s), configured, unparsed, schemaEvolution, database,
                    user));
        }
        return new ShardedStore(topology.map(), stores, all);
    }

    @Override
    public void close() {
        opened.forEach(ClickHouse::close);
    }
}
