package dev.clickstream.stack.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterShapeTest {
    @Test
    void shards_then_replicas_with_the_stacks_own_server_first() {
        ClusterShape s = ClusterShape.parse("2x2");
        assertEquals(List.of("clickhouse", "clickhouse-s1r2", "clickhouse-s2r1", "clickhouse-s2r2"),
                s.members().stream().map(m -> ClusterShape.serviceName(m[0], m[1])).toList());
    }

    @Test
    void a_shape_that_is_not_a_cluster_or_too_big_for_one_machine_is_refused_with_examples() {
        for (String bad : List.of("1x1", "3x2", "0x2", "2", "2x", "two")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterShape.parse(bad));
            assertTrue(e.getMessage().contains("1x2"), e.getMessage());
        }
    }
}
