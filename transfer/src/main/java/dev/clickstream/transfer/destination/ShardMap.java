package dev.clickstream.transfer.destination;

import dev.clickstream.transfer.batch.Batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Which shard of a cluster each Kafka partition's rows and offset-log ranges go to: shard index
 * {@code partition % shards}, shards numbered from 0 in the order of {@code system.clusters.shard_num}. Stable
 * for as long as the cluster has that many shards: a partition's history is on the shard that resumes it. It is
 * also what a Distributed table with sharding key {@code _partition} and equal weights computes.
 */
public record ShardMap(int shards) {
    public static final ShardMap ONE = new ShardMap(1);

    public ShardMap {
        if (shards < 1) {
            throw new IllegalArgumentException("a cluster has at least one shard, not " + shards);
        }
    }

    public int shardOf(int partition) {
        return Math.floorMod(partition, shards);
    }

    public IntPredicate partitionsOf(int shard) {
        return p -> shardOf(p) == shard;
    }

    /** The ranges of each shard, by shard index; a shard without a partition here gets an empty map. */
    public List<Map<Integer, Batch.Range>> split(Map<Integer, Batch.Range> ranges) {
        List<Map<Integer, Batch.Range>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new TreeMap<>());
        }
        ranges.forEach((p, r) -> byShard.get(shardOf(p)).put(p, r));
        return byShard;
    }
}
