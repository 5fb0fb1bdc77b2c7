package dev.clickstream.transfer.destination;

import dev.clickstream.transfer.batch.Batch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardMapTest {

    @Test
    void a_partition_goes_to_the_shard_of_its_number_modulo_the_shards() {
        ShardMap two = new ShardMap(2);
        assertEquals(List.of(0, 1, 0, 1, 0, 1), IntStream.range(0, 6).map(two::shardOf).boxed().toList());
        ShardMap three = new ShardMap(3);
        assertEquals(List.of(0, 1, 2, 0, 1, 2, 0), IntStream.range(0, 7).map(three::shardOf).boxed().toList());
        assertTrue(IntStream.range(0, 100).allMatch(p -> ShardMap.ONE.shardOf(p) == 0));
    }

    @Test
    void the_mapping_is_the_same_for_every_instance_and_every_start() {
        // a partition's history is on its shard: two instances (or two starts) must agree without talking
        for (int p = 0; p < 64; p++) {
            assertEquals(new ShardMap(4).shardOf(p), new ShardMap(4).shardOf(p));
            assertTrue(new ShardMap(4).partitionsOf(new ShardMap(4).shardOf(p)).test(p));
        }
    }

    @Test
    void ranges_split_by_shard_and_every_shard_gets_a_map() {
        Map<Integer, Batch.Range> ranges = Map.of(0, new Batch.Range(1, 5), 1, new Batch.Range(2, 3),
                2, new Batch.Range(7, 9));
        List<Map<Integer, Batch.Range>> split = new ShardMap(2).split(ranges);
        assertEquals(Map.of(0, new Batch.Range(1, 5), 2, new Batch.Range(7, 9)), split.get(0));
        assertEquals(Map.of(1, new Batch.Range(2, 3)), split.get(1));
        assertEquals(List.of(Map.of(0, new Batch.Range(1, 5)), Map.of(), Map.of()),
                new ShardMap(3).split(Map.of(0, new Batch.Range(1, 5))));
    }

    @Test
    void a_cluster_has_at_least_one_shard() {
        assertThrows(IllegalArgumentException.class, () -> new ShardMap(0));
    }
}
