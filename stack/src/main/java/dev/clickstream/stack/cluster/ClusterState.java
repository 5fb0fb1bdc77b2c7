package dev.clickstream.stack.cluster;

import dev.clickstream.stack.clickhouse.ClickHouseServer.ServerPorts;

import java.util.List;

/**
 * What {@code stack.json} remembers of a local cluster: its shape, its ZooKeeper and every ClickHouse member.
 * The first member (shard 1, replica 1) is the stack's own server, whose pid and ports the stack keeps too.
 */
public record ClusterState(ClusterShape shape, long zookeeperPid, int zookeeperPort, List<Member> members) {

    public record Member(int shard, int replica, long pid, ServerPorts ports, int interserverPort) {
        public String service() {
            return ClusterShape.serviceName(shard, replica);
        }

        public boolean isFirst() {
            return shard == 1 && replica == 1;
        }

        public Member withPid(long newPid) {
            return new Member(shard, replica, newPid, ports, interserverPort);
        }
    }

    public List<Member> others() {
        return members.stream().filter(m -> !m.isFirst()).toList();
    }

    public Member first() {
        return members.stream().filter(Member::isFirst).findFirst().orElseThrow();
    }

    /**
     * The HTTP port of every member but the first, by the {@code 127.0.0.1:tcp_port} remote_servers names it by: a
     * transfer writing to several shards reaches them so (the profile carries it).
     */
    public java.util.Map<String, Integer> otherHttpPorts() {
        java.util.Map<String, Integer> ports = new java.util.TreeMap<>();
        others().forEach(m -> ports.put(dev.clickstream.stack.process.Ports.LOOPBACK + ":" + m.ports().tcp(), m.ports().http()));
        return ports;
    }

    /** Native ports shard by shard, for remote_servers. */
    public List<List<Integer>> shardTcpPorts() {
        return java.util.stream.IntStream.rangeClosed(1, shape.shards()).mapToObj(s -> members.stream()
                .filter(m -> m.shard() == s).map(m -> m.ports().tcp()).toList()).toList();
    }

    public ClusterState withZooKeeper(long pid) {
        return new ClusterState(shape, pid, zookeeperPort, members);
    }

    public ClusterState withMember(Member updated) {
        return new ClusterState(shape, zookeeperPid, zookeeperPort, members.stream().map(m ->
                m.shard() == updated.shard() && m.replica() == updated.replica() ? updated : m).toList());
    }
}
