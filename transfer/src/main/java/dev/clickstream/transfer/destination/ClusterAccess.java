package dev.clickstream.transfer.destination;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;

import java.time.Duration;
import java.util.Map;

/**
 * How a transfer reaches the servers of a cluster.
 *
 * @param configured    the configured server's endpoint: its URL names it in the topology, its credentials serve
 *                      every server
 * @param started       the session the start went through: the configured server, or another when it was down
 * @param httpPorts     servers' HTTP ports by their address in the topology (host:native port): transfer.yaml's
 *                      {@code target.cluster_http_ports}, else the connection profile's
 * @param socketTimeout how long a session waits for an answer
 */
public record ClusterAccess(ClickHouseEndpoint configured, ClickHouse started, Map<String, Integer> httpPorts,
                            Duration socketTimeout) {
}
