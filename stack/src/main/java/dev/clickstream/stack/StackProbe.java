package dev.clickstream.stack;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.TopicOffsets;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.stack.clickhouse.ClickHouseServer;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.cluster.LocalCluster;
import dev.clickstream.stack.kafka.KafkaBroker;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code status} shows of a local stack: each service's process, endpoints and health (asked, not assumed),
 * the topics' message counts and the tables' row counts.
 */
final class StackProbe {
    private final Path stateDir;
    private final String marker;

    StackProbe(Path stateDir, String marker) {
        this.stateDir = stateDir;
        this.marker = marker;
    }

    StackStatus status(StackState s) {
        List<StackStatus.Service> services = new ArrayList<>();
        Map<String, Long> topics = new TreeMap<>();
        Map<String, Long> tables = new TreeMap<>();

        boolean kafkaRunning = ServiceProcess.attach(s.kafkaPid(), marker).isPresent();
        Map<String, String> kafkaEndpoints = new LinkedHashMap<>();
        if (s.kafkaPorts() != null) {
            kafkaEndpoints.putAll(new TreeMap<>(s.kafkaPorts().listeners()));
            kafkaEndpoints.put("CONTROLLER", Ports.LOOPBACK + ":" + s.kafkaPorts().controller());
        }
        String kafkaDetail = kafkaRunning ? "not answering on its PLAINTEXT listener" : "not running";
        boolean kafkaHealthy = false;
        if (kafkaRunning) {
            KafkaEndpoint plain = KafkaEndpoint.plaintext(Ports.LOOPBACK + ":" + s.kafkaPorts().plaintext());
            try (Admin admin = Admin.create(KafkaBroker.adminProps(plain))) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                kafkaHealthy = true;
                kafkaDetail = "KRaft broker+controller, SCRAM user " + LocalStack.ADMIN_USER;
                topics.putAll(messageCounts(admin));
            } catch (Exception e) {
                kafkaDetail = "not answering: " + e.getMessage();
            }
        }
        services.add(new StackStatus.Service("kafka", s.kafkaPid(), kafkaRunning, kafkaHealthy, kafkaEndpoints,
                kafkaDetail));

        boolean chRunning = ServiceProcess.attach(s.clickhousePid(), marker).isPresent();
        Map<String, String> chEndpoints = new LinkedHashMap<>();
        if (s.clickhousePorts() != null) {
            chEndpoints.put("HTTP", "http://" + Ports.LOOPBACK + ":" + s.clickhousePorts().http());
            chEndpoints.put("NATIVE", Ports.LOOPBACK + ":" + s.clickhousePorts().tcp());
        }
        String chDetail = chRunning ? "not answering" : "not running";
        boolean chHealthy = false;
        if (chRunning) {
            try (ClickHouse ch = ClickHouse.connect(ClickHouseServer.endpoint(s.clickhousePorts(),
                    s.clickhousePassword()), Duration.ofSeconds(3), Duration.ofSeconds(10))) {
                chDetail = "ClickHouse " + ch.version() + ", user " + LocalStack.ADMIN_USER;
                chHealthy = true;
                tables.putAll(rowCounts(ch));
            } catch (RuntimeException e) {
                chDetail = "not answering: " + e.getMessage();
            }
        }
        services.add(new StackStatus.Service("clickhouse", s.clickhousePid(), chRunning, chHealthy, chEndpoints,
                s.cluster() == null ? chDetail : chDetail + ", shard 1, replica 1 of cluster " + ClusterShape.NAME));
        if (s.cluster() != null) {
            services.addAll(new LocalCluster(stateDir, marker).services(s.cluster(), s.clickhousePassword()));
        }
        return new StackStatus(services, topics, tables);
    }

    private static Map<String, Long> messageCounts(Admin admin) throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        var names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        TopicOffsets.of(admin, names, Duration.ofSeconds(10))
                .forEach((tp, span) -> counts.merge(tp.topic(), span.messages(), Long::sum));
        return counts;
    }

    private static Map<String, Long> rowCounts(ClickHouse ch) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> distributed = new LinkedHashMap<>(); // name shown -> the table as SQL
        for (JsonNode t : ch.query("SELECT database, name, engine FROM system.tables WHERE database != 'system'")) {
            String engine = t.get("engine").asText();
            boolean stores = engine.contains("MergeTree") || engine.equals("Log") || engine.equals("TinyLog")
                    || engine.equals("StripeLog") || engine.equals("Memory");
            String name = t.get("database").asText() + "." + t.get("name").asText();
            counts.put(name, stores ? 0L : -1L);
            if (engine.equals("Distributed")) {
                distributed.put(name, ClickHouse.identifier(t.get("database").asText()) + "."
                        + ClickHouse.identifier(t.get("name").asText()));
            }
        }
        // A cluster's Distributed table counts every shard's rows, which is what a user of a sharded table wants
        // to see; a shard that does not answer within a few seconds leaves it at "-".
        distributed.forEach((name, table) -> {
            try {
                counts.put(name, ch.queryLong("SELECT count() FROM " + table + " SETTINGS max_execution_time = 5"));
            } catch (RuntimeException e) {
                // stays -1
            }
        });
        for (JsonNode r : ch.query("SELECT database, table, sum(rows) AS rows FROM system.parts WHERE active"
                + " AND database != 'system' GROUP BY database, table")) {
            counts.put(r.get("database").asText() + "." + r.get("table").asText(), r.get("rows").asLong());
        }
        return counts;
    }

}
