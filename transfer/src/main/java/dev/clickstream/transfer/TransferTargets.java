package dev.clickstream.transfer;

import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.replica.ReplicatedTarget;
import dev.clickstream.transfer.shard.ShardedTarget;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.SingleServerTarget;
import dev.clickstream.transfer.destination.ClusterAccess;
import dev.clickstream.transfer.destination.ClusterTopology;
import dev.clickstream.transfer.destination.Target;
import dev.clickstream.transfer.destination.TargetTable;

/**
 * The one choice of where the tables live, from {@code target.cluster} and the cluster's topology (read once):
 * several shards make a {@link ShardedTarget}, one shard of several replicas a {@link ReplicatedTarget}, anything
 * else (no cluster, or a cluster of one server) the server the start went through.
 */
final class TransferTargets {
    private TransferTargets() {
    }

    /**
     * @param sink the target's tables on the server the start went through, which already has the database
     * @param log  the offset log there, already created
     */
    static Target open(TargetTable table, ClusterAccess access, ClickHouseSink sink, OffsetLog log) {
        if (!table.placement().onCluster()) {
            return new SingleServerTarget(sink, log);
        }
        ClusterTopology topology = ClusterTopology.read(access.started(), table.placement().cluster());
        if (topology.shards().size() > 1) {
            return new ShardedTarget(topology, access, table);
        }
        ClusterTopology.Shard shard = topology.shards().get(0);
        if (shard.replicas().size() > 1) {
            return new ReplicatedTarget(topology, shard, access, table);
        }
        return new SingleServerTarget(sink, log);
    }
}
