package dev.clickstream.provisioner.sql;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DDL generated per server version, checked as text (the modern one runs for real in CI's LTS job). */
class KafkaEngineSqlTest {
    private static final KafkaEngineSql LOCAL = new KafkaEngineSql("clickstream", "events", "127.0.0.1:9094",
            "clickhouse-events", "clickstream-engine", 1, 65536, null, null);

    private static String ddl(KafkaEngineSql sql, String version) {
        List<String> statements = SqlApplier.plan("kafka_stream_engine.sql",
                SqlApplyCommand.bundled(KafkaEngineSql.TEMPLATE), sql, ServerVersion.parse(version), false);
        return String.join(";\n", statements);
    }

    @Test
    void modern_servers_get_datetime64_virtual_columns_and_an_errors_stream() {
        String ddl = ddl(LOCAL, "25.8.4.13");
        assertTrue(ddl.contains("user_ts     DateTime64(6, 'UTC')"), ddl);
        assertTrue(ddl.contains("kafka_handle_error_mode = 'stream'"), ddl);
        assertTrue(ddl.contains("_partition  UInt64"), ddl);
        assertTrue(ddl.contains(", _topic, _partition, _offset, _timestamp"), ddl);
        assertTrue(ddl.contains("CREATE TABLE IF NOT EXISTS clickstream.events_errors"), ddl);
        assertTrue(ddl.contains("CREATE MATERIALIZED VIEW IF NOT EXISTS clickstream.events_errors_mv"), ddl);
        assertTrue(ddl.contains("WHERE length(_error) = 0"), ddl);
        assertTrue(ddl.contains("event_type  LowCardinality(String)"), ddl);
        assertFalse(ddl.contains("kafka_row_delimiter"), "obsolete on modern servers: " + ddl);
        assertFalse(ddl.contains("${"), ddl);
    }

    @Test
    void servers_before_21_6_get_datetime_and_the_row_delimiter_and_no_virtual_columns() {
        String ddl = ddl(LOCAL, "18.16.1");
        assertTrue(ddl.contains("user_ts     DateTime('UTC')"), ddl);
        assertTrue(ddl.contains("kafka_row_delimiter = '\\n'"), ddl);
        assertTrue(ddl.contains("parseDateTimeBestEffortOrZero(user_ts)"), ddl);
        assertFalse(ddl.contains("_partition"), ddl);
        assertFalse(ddl.contains("kafka_handle_error_mode"), ddl);
        assertFalse(ddl.contains("LowCardinality"), "18.16 needs an experimental flag for it: " + ddl);
        assertEquals(4, SqlTemplate.statements(ddl).size());
    }

    @Test
    void a_cluster_gets_on_cluster_and_replicated_tables() {
        KafkaEngineSql cloud = new KafkaEngineSql("clickstream", "events", "rw.kafka:9091", "clickhouse-events",
                "g", 3, 1000, "default", null);
        String ddl = ddl(cloud, "24.8.1");
        assertTrue(ddl.contains("CREATE TABLE IF NOT EXISTS clickstream.events ON CLUSTER 'default'"), ddl);
        assertTrue(ddl.contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', "
                + "'{replica}')"), ddl);
        assertTrue(ddl.contains("kafka_num_consumers = 3"), ddl);
        assertTrue(cloud.dropStatements().get(0).endsWith(" ON CLUSTER 'default'"));
    }

    @Test
    void an_existing_queue_table_is_read_not_created_and_never_dropped() {
        KafkaEngineSql aiven = new KafkaEngineSql("clickstream", "events", "h:1", "clickhouse-events", "g", 1, 1000,
                null, "service_kafka.clickhouse_events_queue");
        String ddl = ddl(aiven, "25.3.1");
        assertFalse(ddl.contains("ENGINE = Kafka"), ddl);
        assertTrue(ddl.contains("FROM service_kafka.clickhouse_events_queue"), ddl);
        assertTrue(ddl.contains(", _topic, _partition, _offset, _timestamp"), "virtual columns exist on any queue: " + ddl);
        assertFalse(ddl.contains("_error"), "the integration's queue has no error stream: " + ddl);
        assertFalse(aiven.dropStatements().stream().anyMatch(s -> s.contains("queue")), aiven.dropStatements()::toString);
        assertTrue(assertThrows(UserFacingException.class, () -> new KafkaEngineSql("d", "t", "h:1", "t", "g", 1, 1,
                null, "no_database")).getMessage().startsWith("--queue-table"));
    }

    @Test
    void drop_removes_the_views_before_the_tables_they_read() {
        List<String> drops = LOCAL.dropStatements();
        assertEquals("DROP TABLE IF EXISTS clickstream.events_mv", drops.get(0));
        assertTrue(drops.indexOf("DROP TABLE IF EXISTS clickstream.events_queue")
                > drops.indexOf("DROP TABLE IF EXISTS clickstream.events_errors_mv"));
    }

    @Test
    void quotes_in_names_cannot_break_out_of_the_settings() {
        KafkaEngineSql odd = new KafkaEngineSql("db", "t", "h:1", "top'ic", "g", 1, 1, null, null);
        assertTrue(ddl(odd, "18.16.1").contains("kafka_topic_list = 'top\\'ic'"));
    }

    @Test
    void bad_names_and_numbers_are_usage_errors_that_name_the_option() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> new KafkaEngineSql("drop table", "t",
                "h:1", "t", "g", 1, 1, null, null));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("--database: 'drop table'"), e.getMessage());
        assertTrue(assertThrows(UserFacingException.class, () -> new KafkaEngineSql("d", "t", "h:1", "t", "g", 0, 1,
                null, null)).getMessage().startsWith("--consumers"));
    }
}
