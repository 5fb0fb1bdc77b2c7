package dev.clickstream.stack;

import dev.clickstream.stack.clickhouse.ClickHouseServer.ServerPorts;
import dev.clickstream.stack.kafka.KafkaBroker.BrokerPorts;

/**
 * What a local stack remembers between commands ({@code stack.json}, mode 0600): the pids and ports of
 * its two services and the passwords it generated on first start.
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
        String topic) {

    public StackState withKafka(long pid, BrokerPorts ports) {
        return new StackState(pid, ports, clickhousePid, clickhousePorts, clickhouseVersion, kafkaPassword,
                clickhousePassword, keystorePassword, topic);
    }

    public StackState withClickHouse(long pid, ServerPorts ports, String version) {
        return new StackState(kafkaPid, kafkaPorts, pid, ports, version, kafkaPassword, clickhousePassword,
                keystorePassword, topic);
    }

    public StackState withTopic(String newTopic) {
        return new StackState(kafkaPid, kafkaPorts, clickhousePid, clickhousePorts, clickhouseVersion, kafkaPassword,
                clickhousePassword, keystorePassword, newTopic);
    }
}
