package dev.clickstream.transfer.destination;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTopologyTest {
    private static final ClusterTopology.Server S1 = new ClusterTopology.Server(1, 1, "127.0.0.1", 9000, true);
    private static final ClusterTopology.Server S2 = new ClusterTopology.Server(2, 1, "127.0.0.1", 9001, false);
    private static final ClusterTopology LOCAL = new ClusterTopology("c", List.of(
            new ClusterTopology.Shard(1, List.of(S1)), new ClusterTopology.Shard(2, List.of(S2))));

    @Test
    void the_configured_server_keeps_its_url_and_a_named_server_gets_its_port_on_its_host() {
        assertEquals("http://127.0.0.1:8123", LOCAL.urlOf(S1, "http://127.0.0.1:8123", Map.of()));
        assertEquals("http://127.0.0.1:8124", LOCAL.urlOf(S2, "http://127.0.0.1:8123", Map.of("127.0.0.1:9001", 8124)));
    }

    @Test
    void servers_sharing_a_host_must_be_named_and_the_error_says_how() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> LOCAL.urlOf(S2, "http://127.0.0.1:8123", Map.of()));
        assertTrue(e.getMessage().startsWith("target.cluster_http_ports: server 127.0.0.1:9001"), e.getMessage());
        assertTrue(e.getMessage().contains("{\"127.0.0.1:9001\": 8123}"), e.getMessage());
    }

    @Test
    void a_server_on_a_host_of_its_own_is_reached_at_the_configured_scheme_and_port() {
        ClusterTopology.Server a = new ClusterTopology.Server(1, 1, "ch-a.example", 9440, false);
        ClusterTopology.Server b = new ClusterTopology.Server(2, 1, "ch-b.example", 9440, false);
        ClusterTopology managed = new ClusterTopology("c", List.of(new ClusterTopology.Shard(1, List.of(a)),
                new ClusterTopology.Shard(2, List.of(b))));
        assertEquals("https://ch-b.example:8443", managed.urlOf(b, "https://lb.example:8443", Map.of()));
        assertEquals("https://ch-a.example:443", managed.urlOf(a, "https://lb.example", Map.of()));
        assertEquals(2, managed.map().shards());
    }

    @Test
    void a_shard_is_written_to_the_configured_server_when_it_is_one_of_its_replicas_else_to_the_first() {
        ClusterTopology.Server r1 = new ClusterTopology.Server(1, 1, "h", 1, false);
        ClusterTopology.Server r2 = new ClusterTopology.Server(1, 2, "h", 2, true);
        assertEquals(r2, new ClusterTopology.Shard(1, List.of(r1, r2)).writeTarget());
        assertEquals(r1, new ClusterTopology.Shard(1, List.of(r1, r2.withLocal(false))).writeTarget());
    }

    @Test
    void a_named_port_wins_over_is_local_which_18_16_sets_for_every_replica_of_the_shard() {
        ClusterTopology.Server r1 = new ClusterTopology.Server(1, 1, "127.0.0.1", 9001, true);
        ClusterTopology.Server r2 = new ClusterTopology.Server(1, 2, "127.0.0.1", 9002, true);
        ClusterTopology t = new ClusterTopology("c", List.of(new ClusterTopology.Shard(1, List.of(r1, r2))));
        Map<String, Integer> ports = Map.of("127.0.0.1:9002", 8124);
        assertEquals("http://127.0.0.1:8124", t.urlOf(r2, "http://127.0.0.1:8123", ports));
        assertEquals("http://127.0.0.1:8123", t.urlOf(r1, "http://127.0.0.1:8123", ports));
    }

    @Test
    void the_one_server_left_unnamed_on_a_shared_host_is_the_configured_one_even_when_another_answered() {
        // the start went through shard 2 (the configured server of shard 1 is down): nothing here is local
        ClusterTopology.Server s2 = new ClusterTopology.Server(2, 1, "127.0.0.1", 9001, true);
        ClusterTopology t = new ClusterTopology("c", List.of(new ClusterTopology.Shard(1, List.of(S1.withLocal(false))),
                new ClusterTopology.Shard(2, List.of(s2))));
        assertEquals("http://127.0.0.1:8123", t.urlOf(S1.withLocal(false), "http://127.0.0.1:8123",
                Map.of("127.0.0.1:9001", 8124)));
    }
}
