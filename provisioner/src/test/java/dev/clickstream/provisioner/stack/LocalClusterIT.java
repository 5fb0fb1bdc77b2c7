package dev.clickstream.provisioner.stack;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `up --cluster 1x2`: one ZooKeeper and two ClickHouse 18.16 replicas beside the broker; the Kafka engine's SQL
 * applied ON CLUSTER delivers every event once, and both replicas hold all of them.
 */
class LocalClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @AfterEach
    void down() {
        CliRun.of("down", "--state-dir", dir.toString(), "--purge");
    }

    @Test
    void a_two_replica_cluster_runs_the_engine_path_on_cluster_and_every_event_lands_once_on_both() throws Exception {
        CliRun up = CliRun.of("up", "--state-dir", dir.toString(), "--random-ports", "--cluster", "1x2");
        assertEquals(0, up.exitCode(), up::toString);

        JsonNode status = JSON.readTree(CliRun.of("status", "--state-dir", dir.toString(), "--json").out());
        List<String> services = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        for (JsonNode s : status.get("services")) {
            services.add(s.get("name").asText());
            pids.add(s.get("pid").asLong());
            assertTrue(s.get("healthy").asBoolean(), s.toString());
        }
        assertEquals(List.of("kafka", "clickhouse", "zookeeper", "clickhouse-s1r2"), services);
        String replica2 = status.get("services").get(3).get("endpoints").get("HTTP").asText();

        ConnectionProfile profile = dev.clickstream.common.profile.ProfileStore.load(dir.resolve("profile.json"));
        assertEquals("clickstream", profile.clickhouseConnection().cluster());
        CliRun apply = CliRun.of("sql", "apply", "--state-dir", dir.toString());
        assertEquals(0, apply.exitCode(), apply::toString);

        int n = 3000;
        TestKafka.produce(KafkaEndpoint.of(profile.kafkaConnection()), profile.topicOrDefault(), TestEvents.jsonLines(0, n));
        ClickHouseEndpoint first = ClickHouseEndpoint.of(profile.clickhouseConnection());
        ClickHouseEndpoint second = new ClickHouseEndpoint(replica2, first.user(), first.password(), "default", null);
        try (ClickHouse a = ClickHouse.connect(first); ClickHouse b = ClickHouse.connect(second)) {
            for (ClickHouse ch : List.of(a, b)) {
                assertTrue(Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(500),
                        () -> ch.queryLong("SELECT count() FROM clickstream.events") >= n), "a replica is missing rows");
                assertEquals(n, ch.queryLong("SELECT count() FROM clickstream.events"), "a row landed twice");
                assertEquals(n, ch.queryLong("SELECT uniqExact(id) FROM clickstream.events"));
                assertEquals("ReplicatedMergeTree", ch.queryText("SELECT engine FROM system.tables WHERE database = "
                        + "'clickstream' AND name = 'events'").strip());
            }
            assertEquals(n, a.queryLong("SELECT count() FROM clickstream.events_all"), "the Distributed table");
            // status counts the Distributed table through every shard rather than showing it as holding nothing
            JsonNode tables = JSON.readTree(CliRun.of("status", "--state-dir", dir.toString(), "--json").out())
                    .get("tables");
            assertEquals(n, tables.get("clickstream.events_all").asLong(), tables.toString());
            // the dashboard shows the engine's group for the table it reads, events_all here
            assertTrue(dev.clickstream.provisioner.delivery.EngineDelivery.probe(KafkaEndpoint.of(profile.kafkaConnection()),
                    a).feeding("clickstream.events_all").isPresent(), "no queue found for clickstream.events_all");
        }
        // on a cluster the analytics (and the dashboard, which chooses alike) read the Distributed table
        CliRun analytics = CliRun.of("analytics", "--state-dir", dir.toString(), "--since", "30d", "--json");
        assertEquals(0, analytics.exitCode(), analytics::toString);
        assertTrue(analytics.err().contains("clickstream.events_all (the Kafka engine's table), " + n + " rows"),
                analytics.err());

        CliRun logs = CliRun.of("logs", "--state-dir", dir.toString(), "zookeeper", "-n", "5");
        assertEquals(0, logs.exitCode(), logs::toString);
        assertTrue(logs.out().contains("==> zookeeper: "), logs.out());

        CliRun down = CliRun.of("down", "--state-dir", dir.toString());
        assertEquals(0, down.exitCode(), down::toString);
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " survived down");
        }
    }
}
