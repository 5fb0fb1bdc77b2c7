package dev.clickstream.transfer.destination;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shards and replicas of {@code target.cluster} as the configured server's {@code system.clusters} names them,
 * and the HTTP address of each. {@code system.clusters} gives a server's host and native (TCP) port only, so the
 * HTTP port is {@code target.cluster_http_ports["host:tcp_port"]} when given, else the configured URL's port (a
 * managed cluster runs every replica on a host of its own with the same ports); servers that share a host must
 * be named there. Whatever the address, {@link #expectedAt} checks that the server answering is the one meant.
 */
public record ClusterTopology(String cluster, List<Shard> shards) {

    /** A server of the cluster; {@code local} when it is the configured server itself. */
    public record Server(int shardNum, int replicaNum, String host, int tcpPort, boolean local) {
        public String address() {
            return host + ":" + tcpPort;
        }

        public Server withLocal(boolean isLocal) {
            return new Server(shardNum, replicaNum, host, tcpPort, isLocal);
        }
    }

    /** One shard, its replicas by replica_num. */
    public record Shard(int num, List<Server> replicas) {
        /** The replica the transfer writes to: the configured server when it is one, else the first. */
        public Server writeTarget() {
            return replicas.stream().filter(Server::local).findFirst().orElse(replicas.get(0));
        }
    }

    public static ClusterTopology read(SqlSession ch, String cluster) {
        Map<Integer, List<Server>> byShard = new LinkedHashMap<>();
        for (JsonNode r : ch.query("SELECT shard_num, replica_num, host_name, port, is_local FROM system.clusters"
                + " WHERE cluster = " + ClickHouse.quote(cluster) + " ORDER BY shard_num, replica_num")) {
            Server s = new Server(r.get("shard_num").asInt(), r.get("replica_num").asInt(), r.get("host_name").asText(),
                    r.get("port").asInt(), r.get("is_local").asInt() == 1);
            byShard.computeIfAbsent(s.shardNum(), n -> new ArrayList<>()).add(s);
        }
        if (byShard.isEmpty()) {
            throw new UserFacingException("target.cluster: ClickHouse at " + ch.location() + " has no cluster '"
                    + cluster + "' in its remote_servers");
        }
        List<Shard> shards = new ArrayList<>();
        byShard.forEach((num, replicas) -> shards.add(new Shard(num, List.copyOf(replicas))));
        return new ClusterTopology(cluster, List.copyOf(shards));
    }

    public ShardMap map() {
        return new ShardMap(shards.size());
    }

    /**
     * The HTTP(S) URL of a server: the mapped port for one in {@code httpPorts}; the configured URL for the configured
     * server itself; else the configured URL's scheme and port on the server's host. Servers sharing a host must be
     * named, all but one: the one left unnamed there is the configured server (the profile names the others), also
     * when the start went through another server because it is down.
     */
    public String urlOf(Server server, String configuredUrl, Map<String, Integer> httpPorts) {
        URI configured = URI.create(configuredUrl);
        String host = server.host().contains(":") ? "[" + server.host() + "]" : server.host();
        Integer mapped = httpPorts.get(server.address());
        if (mapped != null) {
            return configured.getScheme() + "://" + host + ":" + mapped;
        }
        if (server.local() && servers().stream().filter(Server::local).count() == 1) {
            return configuredUrl; // 18.16's is_local is per shard: only a lone local server is surely this one
        }
        List<Server> sharing = servers().stream()
                .filter(o -> o.host().equals(server.host()) && o.tcpPort() != server.tcpPort()).toList();
        if (!sharing.isEmpty()) {
            List<String> unnamed = sharing.stream().map(Server::address).filter(a -> !httpPorts.containsKey(a)).toList();
            if (unnamed.isEmpty()) {
                return configuredUrl;
            }
            throw new UserFacingException("target.cluster_http_ports: server " + server.address() + " of cluster '"
                    + cluster + "' (shard " + server.shardNum() + ") shares its host with " + String.join(", ", unnamed)
                    + ", so its HTTP port cannot be guessed; name it, e.g. cluster_http_ports: {\"" + server.address()
                    + "\": 8123}");
        }
        int port = configured.getPort() > 0 ? configured.getPort() : "https".equals(configured.getScheme()) ? 443 : 80;
        return configured.getScheme() + "://" + host + ":" + port;
    }

    private List<Server> servers() {
        return shards.stream().flatMap(s -> s.replicas().stream()).toList();
    }

    /**
     * Fails unless the server behind {@code url} is this server of the cluster: a wrong port in
     * cluster_http_ports would otherwise write a shard's partitions to another shard.
     */
    public void expectedAt(SqlSession ch, Server server, String url) {
        List<String> answering = ch.query("SELECT shard_num, replica_num FROM system.clusters WHERE cluster = "
                        + ClickHouse.quote(cluster) + " AND is_local = 1").stream()
                .map(r -> r.get("shard_num").asInt() + "/" + r.get("replica_num").asInt()).toList();
        if (!answering.contains(server.shardNum() + "/" + server.replicaNum())) {
            throw new UserFacingException("target.cluster_http_ports: " + url + " is not server " + server.address()
                    + " (shard " + server.shardNum() + ", replica " + server.replicaNum() + ") of cluster '" + cluster
                    + "'; it answers as " + (answering.isEmpty() ? "no server of it"
                    : "shard/replica " + String.join(", ", answering)) + ". Give each server's HTTP port by its host:tcp_port");
        }
    }
}
