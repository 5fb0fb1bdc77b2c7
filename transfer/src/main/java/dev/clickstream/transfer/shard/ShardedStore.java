package dev.clickstream.transfer.shard;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.destination.ShardMap;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The delivery store of a sharded cluster: one store per shard (its offset log and its local tables, on a
 * replica of that shard), and every call routed by the {@link ShardMap}. A partition's ranges and rows go to its
 * shard only, and its positions are read there, so each shard's log and rows keep the guarantees of
 * transfer/DESIGN.md by themselves: for every partition, the log row of a batch is written before its rows, on
 * the same shard. A batch holding partitions of several shards is written as one INSERT per shard; a retry
 * looks on each shard for what that shard already has.
 */
public final class ShardedStore implements DeliveryStore {
    /** What a sharded cluster has beside the shards' tables: the Distributed table over the target. */
    public interface Companion {
        /** Creates what is missing and follows the target's columns; called after every shard has its tables. */
        void ensure();
    }

    private final ShardMap map;
    private final List<DeliveryStore> shards;
    private final Companion companion;

    /** @param shards one store per shard, by shard index (the order of {@code system.clusters.shard_num}) */
    public ShardedStore(ShardMap map, List<DeliveryStore> shards, Companion companion) {
        if (shards.size() != map.shards()) {
            throw new IllegalArgumentException(shards.size() + " stores for " + map.shards() + " shards");
        }
        this.map = map;
        this.shards = List.copyOf(shards);
        this.companion = companion;
    }

    public ShardMap map() {
        return map;
    }

    @Override
    public Optional<Window> uncertain(int partition) {
        return shards.get(map.shardOf(partition)).uncertain(partition);
    }

    @Override
    public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
        Set<RowKey> present = new HashSet<>();
        List<Map<Integer, Batch.Range>> byShard = map.split(ranges);
        for (int s = 0; s < byShard.size(); s++) {
            if (!byShard.get(s).isEmpty()) {
                present.addAll(shards.get(s).presentKeys(byShard.get(s)));
            }
        }
        return present;
    }

    /** Every shard's table: a person may alter the table on one server only. */
    @Override
    public void checkStructure(TableLayout target) {
        shards.forEach(s -> s.checkStructure(target));
    }

    /** Every shard's tables as they are now; the layout is the first shard's, which the others must match. */
    @Override
    public TableLayout reload() {
        TableLayout first = null;
        for (DeliveryStore s : shards) {
            TableLayout layout = s.reload();
            if (first == null) {
                first = layout;
            } else {
                s.checkStructure(first); // a shard whose table differs is a table changed: read again until alike
            }
        }
        companion.ensure();
        return first;
    }

    @Override
    public boolean targetExists() {
        return shards.stream().allMatch(DeliveryStore::targetExists);
    }

    @Override
    public void record(Batch batch, String writeId, String instance) {
        for (int s = 0; s < shards.size(); s++) {
            Batch part = batch.part(map.partitionsOf(s), false);
            if (!part.isEmpty()) {
                shards.get(s).record(part, writeId, instance);
            }
        }
    }

    @Override
    public void write(Batch batch, TableLayout target, TableLayout unparsed, String writeId) {
        for (int s = 0; s < shards.size(); s++) {
            Batch part = batch.part(map.partitionsOf(s), true);
            if (!part.isEmpty()) {
                shards.get(s).write(part, target, unparsed, writeId);
            }
        }
    }

    /** On every shard: a write id does not say which shards its INSERTs went to. */
    @Override
    public void awaitEnd(List<String> writeIds) {
        shards.forEach(s -> s.awaitEnd(writeIds));
    }

    /**
     * The first shard runs the ALTER ON CLUSTER, which returns once every server has the column; the others then
     * find it and adopt it as it is.
     */
    @Override
    public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        TableLayout evolved = shards.get(0).addColumn(layout, name, type);
        for (int s = 1; s < shards.size(); s++) {
            shards.get(s).addColumn(layout, name, type);
        }
        companion.ensure();
        return evolved;
    }
}
