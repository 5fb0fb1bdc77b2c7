package dev.clickstream.stack;

import dev.clickstream.stack.clickhouse.ClickHouseServer.ServerPorts;
import dev.clickstream.stack.cluster.ClusterState;
import dev.clickstream.stack.kafka.KafkaBroker.BrokerPorts;

/**
 * What a local stack remembers between commands ({@code stack.json}, mode 0600): the pids and ports of
 * its two services and the passwords it generated on first start; with {@code up --cluster}, the cluster's.
 */
public record StackState(
        long kafkaPid,
        BrokerPorts kafkaPorts,
        long clickhousePid,
        ServerPorts clickhousePorts,
        String clickhouseVersion,
        String kafkaPassword,
        String clickhousePassword,
        String keystorePassword,
        String topic,
        ClusterState cluster) {

    public StackState withKafka(long pid, BrokerPorts ports) {
        return new StackState(pid, ports, clickhousePid, clickhousePorts, clickhouseVersion, kafkaPassword,
                clickhousePassword, keystorePassword, topic, cluster);
    }

    public StackState withClickHouse(long pid, ServerPorts ports, String version) {
        return new StackState(kafkaPid, kafkaPorts, pid, ports, version, kafkaPassword, clickhousePassword,
                keystorePassword, topic, cluster);
    }

    public StackState withTopic(String newTopic) {
        return new StackState(kafkaPid, kafkaPorts, clickhousePid, clickhousePorts, clickhouseVersion, kafkaPassword,
                clickhousePassword, keystorePassword, newTopic, cluster);
    }

    /** A local cluster's ZooKeeper and members, or null for the single server. */
    public StackState withCluster(ClusterState newCluster) {
        return new StackState(kafkaPid, kafkaPorts, clickhousePid, clickhousePorts, clickhouseVersion, kafkaPassword,
                clickhousePassword, keystorePassword, topic, newCluster);
    }
}
