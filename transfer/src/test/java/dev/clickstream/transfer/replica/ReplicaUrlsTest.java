package dev.clickstream.transfer.replica;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.destination.ClusterTopology;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which URL the transfer reaches each replica of a shard at, and which it writes to first. */
class ReplicaUrlsTest {
    private static ClusterTopology.Server server(int shard, int replica, String host, int tcp, boolean local) {
        return new ClusterTopology.Server(shard, replica, host, tcp, local);
    }

    private static List<String> urls(ClusterTopology topology, int shard, String configured, Map<String, Integer> ports) {
        return ReplicatedTarget.addresses(topology, topology.shards().get(shard - 1), configured, ports).stream()
                .map(ReplicatedTarget.Address::url).toList();
    }

    private static ClusterTopology oneShard(ClusterTopology.Server... replicas) {
        return new ClusterTopology("c", List.of(new ClusterTopology.Shard(1, List.of(replicas))));
    }

    @Test
    void on_a_shared_host_the_profile_names_the_others_and_the_unnamed_one_is_the_configured_server() {
        // is_local is per shard on 18.16: both replicas of the configured server's shard say "local"
        ClusterTopology t = oneShard(server(1, 1, "127.0.0.1", 9001, true), server(1, 2, "127.0.0.1", 9002, true));
        assertEquals(List.of("http://127.0.0.1:8123", "http://127.0.0.1:8124"),
                urls(t, 1, "http://127.0.0.1:8123/", Map.of("127.0.0.1:9002", 8124)));
    }

    @Test
    void the_configured_server_comes_first_whichever_replica_it_is() {
        ClusterTopology t = oneShard(server(1, 1, "127.0.0.1", 9001, true), server(1, 2, "127.0.0.1", 9002, true));
        assertEquals(List.of("http://127.0.0.1:8124", "http://127.0.0.1:8123"),
                urls(t, 1, "http://127.0.0.1:8124", Map.of("127.0.0.1:9001", 8123)));
    }

    @Test
    void a_start_through_another_replica_still_writes_to_the_configured_server_first() {
        // read from replica 2 of a modern server (is_local per server): replica 1, the configured one, is down
        ClusterTopology t = oneShard(server(1, 1, "127.0.0.1", 9001, false), server(1, 2, "127.0.0.1", 9002, true));
        assertEquals(List.of("http://127.0.0.1:8123", "http://127.0.0.1:8124"),
                urls(t, 1, "http://127.0.0.1:8123", Map.of("127.0.0.1:9002", 8124)));
    }

    @Test
    void on_hosts_of_their_own_each_replica_is_reached_at_the_configured_port_and_the_configured_one_once() {
        ClusterTopology t = oneShard(server(1, 1, "rc1a.example", 9440, true), server(1, 2, "rc1b.example", 9440, true));
        assertEquals(List.of("https://rc1a.example:8443", "https://rc1b.example:8443"),
                urls(t, 1, "https://rc1a.example:8443", Map.of()));
        // a name in front of the cluster (a balancer) is not a replica: the shard's replicas are used by their own
        assertEquals(List.of("https://rc1a.example:8443", "https://rc1b.example:8443"),
                urls(t, 1, "https://c-1.rw.example:8443", Map.of()));
    }

    @Test
    void another_shard_is_reached_at_the_ports_the_profile_names_its_first_replica_first() {
        ClusterTopology t = new ClusterTopology("c", List.of(
                new ClusterTopology.Shard(1, List.of(server(1, 1, "127.0.0.1", 9001, true),
                        server(1, 2, "127.0.0.1", 9002, true))),
                new ClusterTopology.Shard(2, List.of(server(2, 1, "127.0.0.1", 9003, false),
                        server(2, 2, "127.0.0.1", 9004, false)))));
        Map<String, Integer> ports = Map.of("127.0.0.1:9002", 8124, "127.0.0.1:9003", 8125, "127.0.0.1:9004", 8126);
        assertEquals(List.of("http://127.0.0.1:8125", "http://127.0.0.1:8126"), urls(t, 2, "http://127.0.0.1:8123", ports));
        assertEquals(List.of("http://127.0.0.1:8123", "http://127.0.0.1:8124"), urls(t, 1, "http://127.0.0.1:8123", ports));
    }

    @Test
    void two_replicas_left_unnamed_on_one_host_stop_the_start_with_the_key_to_set() {
        ClusterTopology t = oneShard(server(1, 1, "127.0.0.1", 9001, true), server(1, 2, "127.0.0.1", 9002, true));
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> urls(t, 1, "http://127.0.0.1:8123", Map.of()));
        assertTrue(e.getMessage().startsWith("target.cluster_http_ports: server 127.0.0.1:9001"), e.getMessage());
    }
}
