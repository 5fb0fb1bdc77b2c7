package dev.clickstream.stack.cluster;

import dev.clickstream.stack.clickhouse.ClickHouseServer.ServerPorts;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which ports {@code up} keeps when it starts again a cluster some of whose processes still run. */
class LocalClusterPlanTest {
    private static final ClusterShape ONE_BY_TWO = ClusterShape.parse("1x2");
    private static final ServerPorts FIRST = new ServerPorts(41001, 41002);
    private static final ServerPorts SECOND = new ServerPorts(41011, 41012);

    /** A 1x2 stack as stack.json remembers it: ZooKeeper pid 100 on 41100, members pids 101 and 102. */
    private static ClusterState before() {
        return new ClusterState(ONE_BY_TWO, 100, 41100, List.of(
                new ClusterState.Member(1, 1, 101, FIRST, 41003),
                new ClusterState.Member(1, 2, 102, SECOND, 41013)));
    }

    @Test
    void zookeeper_and_a_running_member_keep_their_ports_though_they_are_busy() {
        Set<Long> running = Set.of(100L, 102L); // replica 1 was killed
        Set<Integer> busy = Set.of(41100, 41011, 41012, 41013);
        ClusterState plan = LocalCluster.plan(ONE_BY_TWO, FIRST, before(), running::contains, p -> !busy.contains(p));
        assertEquals(41100, plan.zookeeperPort());
        assertEquals(100, plan.zookeeperPid());
        ClusterState.Member second = plan.members().get(1);
        assertEquals(SECOND, second.ports());
        assertEquals(41013, second.interserverPort());
        assertEquals(102, second.pid());
        assertEquals(before().members().get(0), plan.first(), "the killed one's ports were free: kept");
    }

    @Test
    void a_stopped_member_whose_ports_are_busy_gets_new_ones_and_a_free_one_keeps_them() {
        Set<Integer> busy = Set.of(41011, 41013); // something else took the second member's ports
        ClusterState plan = LocalCluster.plan(ONE_BY_TWO, FIRST, before(), pid -> false, p -> !busy.contains(p));
        ClusterState.Member second = plan.members().get(1);
        assertNotEquals(SECOND, second.ports());
        assertTrue(second.ports().all().stream().noneMatch(busy::contains), second.toString());
        assertNotEquals(41013, second.interserverPort());
        assertEquals(41100, plan.zookeeperPort(), "ZooKeeper's port was free");
        assertEquals(41003, plan.first().interserverPort());
    }

    @Test
    void a_stopped_zookeeper_whose_port_is_busy_gets_a_new_one() {
        ClusterState plan = LocalCluster.plan(ONE_BY_TWO, FIRST, before(), pid -> false, p -> p != 41100);
        assertNotEquals(41100, plan.zookeeperPort());
    }

    @Test
    void a_first_up_plans_every_member_on_new_ports() {
        ClusterState plan = LocalCluster.plan(ONE_BY_TWO, FIRST, null, pid -> true, p -> true);
        assertEquals(FIRST, plan.first().ports());
        assertEquals(0, plan.members().get(1).pid());
        assertNotEquals(plan.first().interserverPort(), plan.members().get(1).interserverPort());
    }
}
