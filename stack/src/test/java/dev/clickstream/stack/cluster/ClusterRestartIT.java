package dev.clickstream.stack.cluster;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.StackState;
import dev.clickstream.stack.clickhouse.ClickHouseServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code up} on a 1x2 cluster one of whose members was killed (-9) starts just that member again, on its old ports,
 * next to the ZooKeeper and the member that kept running; first the second replica, then the stack's own server.
 */
class ClusterRestartIT {
    @TempDir
    Path dir;

    @Test
    void up_restarts_only_the_killed_member_on_its_old_ports() throws Exception {
        LocalStack stack = new LocalStack(dir.resolve("stack"));
        StringWriter log = new StringWriter();
        PrintWriter out = new PrintWriter(log, true);
        LocalStack.UpOptions up = LocalStack.UpOptions.defaults().withRandomPorts().withCluster(ClusterShape.parse("1x2"));
        stack.up(up, out);
        try {
            for (int killed : new int[] {2, 1}) {
                ClusterState before = stack.readState().orElseThrow().cluster();
                ClusterState.Member victim = before.members().get(killed - 1);
                ClusterState.Member survivor = before.members().get(2 - killed);
                kill9(victim.pid());
                assertEquals(LocalStack.UpOutcome.STARTED, stack.up(up, out), log::toString);

                StackState state = stack.readState().orElseThrow();
                ClusterState after = state.cluster();
                assertEquals(before.zookeeperPid(), after.zookeeperPid(), "ZooKeeper was started again");
                assertEquals(before.zookeeperPort(), after.zookeeperPort(), "ZooKeeper moved to another port");
                ClusterState.Member restarted = after.members().get(killed - 1);
                assertNotEquals(victim.pid(), restarted.pid());
                assertEquals(victim.ports(), restarted.ports());
                assertEquals(victim.interserverPort(), restarted.interserverPort());
                assertEquals(survivor, after.members().get(2 - killed), "the running member was touched");
                if (restarted.isFirst()) {
                    assertEquals(restarted.pid(), state.clickhousePid());
                    assertEquals(restarted.ports(), state.clickhousePorts());
                }
                // it reaches ZooKeeper again: a replicated table works only then
                try (ClickHouse ch = ClickHouse.connect(ClickHouseServer.endpoint(restarted.ports(),
                        state.clickhousePassword()))) {
                    assertEquals("1", ch.queryText("SELECT count() > 0 FROM system.zookeeper WHERE path = '/'").strip());
                    assertEquals("s1r" + killed, ch.queryText("SELECT substitution FROM system.macros WHERE macro = 'replica'").strip());
                }
            }
            assertTrue(stack.readState().orElseThrow().cluster() != null);
        } finally {
            stack.down(true, new PrintWriter(new StringWriter(), true));
        }
    }

    private static void kill9(long pid) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
        p.destroyForcibly();
        p.onExit().get(20, TimeUnit.SECONDS);
    }
}
