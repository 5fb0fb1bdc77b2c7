package dev.clickstream.transfer.replica;

import dev.clickstream.transfer.shard.ClusterTopology;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which URL the transfer reaches each replica of its shard at. */
class ReplicaUrlsTest {
    private static ClusterTopology.Server server(int replica, String host, int tcp) {
        return new ClusterTopology.Server(1, replica, host, tcp, true); // is_local is per shard on 18.16: both "local"
    }

    @Test
    void on_a_shared_host_the_profile_names_the_others_and_the_unnamed_one_is_the_configured_server() {
        ClusterTopology.Shard shard = new ClusterTopology.Shard(1, List.of(server(1, "127.0.0.1", 9001),
                server(2, "127.0.0.1", 9002)));
        assertEquals(List.of("http://127.0.0.1:8123", "http://127.0.0.1:8124"),
                ReplicatedTarget.urls(shard, "http://127.0.0.1:8123/", Map.of("127.0.0.1:9002", 8124)));
    }

    @Test
    void on_hosts_of_their_own_each_replica_is_reached_at_the_configured_port_and_the_configured_one_once() {
        ClusterTopology.Shard shard = new ClusterTopology.Shard(1, List.of(server(1, "rc1a.example", 9440),
                server(2, "rc1b.example", 9440)));
        assertEquals(List.of("https://rc1a.example:8443", "https://rc1b.example:8443"),
                ReplicatedTarget.urls(shard, "https://rc1a.example:8443", Map.of()));
    }
}
