package dev.clickstream.transfer.config;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    private static final String MINIMAL = """
            source:
              topic_name: clickhouse-events
              parser:
                json:
                  schema:
                    fields:
                      - {name: id, type: uint64, key: true}
            """;

    private static String error(String yaml) {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> ConfigLoader.parse("t.yaml", yaml, Map.<String, String>of()::get));
        assertEquals(ExitCodes.USAGE, e.exitCode(), "config errors are usage errors");
        assertFalse(e.getMessage().contains("\n"), "not one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void the_shipped_sample_config_loads_with_its_defaults() {
        TransferConfig c = ConfigLoader.load(Path.of("transfer.yaml"));
        assertEquals("clickhouse_events", c.tableName());
        assertEquals(19, c.source().parser().json().schema().fields().size());
        assertEquals(CleanupPolicy.DISABLED, c.target().cleanupPolicyOrDefault());
        assertEquals(Duration.ofMillis(300), c.batchOrDefault().maxDelayOrDefault());
        assertEquals(InsertFormat.ROW_BINARY, c.batchOrDefault().formatOrDefault());
        assertTrue(c.source().parser().json().addRestColumnOrDefault());
    }

    @Test
    void the_table_is_the_topic_as_an_identifier_unless_alt_names_or_table_say_otherwise() {
        assertEquals("clickhouse_events", TransferConfig.identifierFromTopic("clickhouse-events"));
        assertEquals("_1_clicks_v2", TransferConfig.identifierFromTopic("1.clicks-v2"));
        TransferConfig alt = ConfigLoader.parse("t", MINIMAL + """
                target:
                  alt_names: [{from_name: clickhouse-events, to_name: events}]
                """, Map.<String, String>of()::get);
        assertEquals("events", alt.tableName());
        TransferConfig named = ConfigLoader.parse("t", MINIMAL + "target: {table: clicks}\n",
                Map.<String, String>of()::get);
        assertEquals("clicks", named.tableName());
    }

    @Test
    void environment_variables_fill_in_secrets_and_comments_are_left_alone() {
        String yaml = MINIMAL + """
                # password: "${NOT_SET}" in a comment is fine
                target:
                  connection: {url: "http://h:8123", user: u, password: "${CH_PASSWORD}"}
                """;
        TransferConfig c = ConfigLoader.parse("t", yaml, Map.of("CH_PASSWORD", "s3cret")::get);
        assertEquals("s3cret", c.target().connection().password());
        assertEquals("t.yaml:10: ${CH_PASSWORD} is not set in the environment", error(yaml));
    }

    @Test
    void an_unknown_key_names_its_path_and_the_known_ones() {
        String message = error(MINIMAL.replace("topic_name", "topic"));
        assertTrue(message.startsWith("t.yaml: source.topic: unknown key (known: auth, auto_offset_reset, "), message);
        assertTrue(message.contains("topic_name"), message);
    }

    @Test
    void a_wrong_field_type_names_the_field_by_index() {
        assertEquals("t.yaml: source.parser.json.schema.fields[0].type: 'uint128' is not one of int8, int16, int32,"
                + " int64, uint8, uint16, uint32, uint64, double, boolean, string, utf8, any, datetime",
                error(MINIMAL.replace("uint64", "uint128")));
    }

    @Test
    void each_kind_of_mistake_names_its_path() {
        assertEquals("t.yaml: source.topic_name: missing",
                error(MINIMAL.replace("  topic_name: clickhouse-events\n", "")));
        assertTrue(error(MINIMAL + "target: {cleanup_policy: WIPE}\n")
                .contains("target.cleanup_policy: 'WIPE' is not one of DISABLED, DROP, TRUNCATE"));
        assertTrue(error(MINIMAL + "target: {cluster: c, cluster_http_ports: {\"127.0.0.1\": 8124}}\n")
                .contains("target.cluster_http_ports: '127.0.0.1': 8124 is not host:tcp_port: http_port"));
        assertEquals(Map.of("127.0.0.1:9001", 8124), ConfigLoader.parse("t.yaml", MINIMAL
                        + "target: {cluster: c, cluster_http_ports: {\"127.0.0.1:9001\": 8124}}\n", Map.<String, String>of()::get)
                .target().clusterHttpPortsOrEmpty());
        assertTrue(error(MINIMAL + "batch: {max_delay: soon}\n")
                .contains("batch.max_delay: 'soon' is not a duration"));
        assertTrue(error(MINIMAL + "batch: {format: CSV}\n")
                .contains("batch.format: 'CSV' is not RowBinary or JSONEachRow"));
        assertTrue(error(MINIMAL.replace("- {name: id, type: uint64, key: true}",
                "- {name: id, type: uint64}\n          - {name: id, type: string}"))
                .contains("fields[1].name: 'id' appears twice"));
        assertTrue(error(MINIMAL.replace("name: id", "name: _id")).contains("kept for system columns"));
        assertTrue(error(MINIMAL.replace("key: true", "key: true, path: a..b")).contains("fields[0].path"));
        assertTrue(error(MINIMAL + "target: {table: \"bad-name\"}\n").contains("target.table: 'bad-name' is not"));
        assertTrue(error(MINIMAL + "http: {port: 70000}\n").contains("http.port: 70000 is not a port"));
        assertEquals("t.yaml: batch.max_bytes: must be at most 536870912 (512 MiB)",
                error(MINIMAL + "batch: {max_bytes: 1073741824}\n"));
        String rows = error(MINIMAL + "batch: {max_rows: many}\n");
        assertTrue(rows.startsWith("t.yaml:8: batch.max_rows:"), rows);
        String syntax = error("source:\n\ttopic_name: x\n");
        assertTrue(syntax.startsWith("t.yaml:2: not valid YAML"), syntax);
        assertTrue(error("source: [1, 2]\n").startsWith("t.yaml:1: source: Cannot deserialize"));
        assertEquals("t.yaml: source.parser.json: missing (only the JSON parser exists)",
                error("source: {topic_name: t}\n"));
    }

    @Test
    void the_socket_timeout_is_a_duration_checked_at_start_up() {
        assertEquals(Duration.ofSeconds(60), ConfigText.parse(MINIMAL).socketTimeoutOrDefault());
        assertEquals(Duration.ofSeconds(3),
                ConfigText.parse(MINIMAL + "target: {socket_timeout: 3s}\n").socketTimeoutOrDefault());
        assertEquals("t.yaml: target.socket_timeout: 'soon' is not a duration (examples: 30s, 2m)",
                error(MINIMAL + "target: {socket_timeout: soon}\n"));
        assertEquals("t.yaml: target.socket_timeout: must be at least 1ms (0 would wait forever)",
                error(MINIMAL + "target: {socket_timeout: 0s}\n"));
    }

    @Test
    void an_empty_path_is_the_field_itself_as_in_the_original_demo() {
        // the demo's Terraform rule: every field with path = "", key = false, required = false
        TransferConfig c = ConfigText.parse(MINIMAL.replace("- {name: id, type: uint64, key: true}",
                "- {name: id, type: uint64, key: false, required: false, path: \"\"}"));
        TransferConfig.Field id = c.source().parser().json().schema().fields().get(0);
        assertEquals(List.of("id"), id.pathParts());
        assertTrue(error(MINIMAL.replace("key: true", "key: true, path: \" \"")).contains("fields[0].path: ' '"),
                "a blank path is still a mistake");
    }

    @Test
    void a_path_steps_by_dots_or_by_slashes() {
        TransferConfig c = ConfigText.parse(MINIMAL.replace("key: true", "key: true, path: a/b.c"));
        assertEquals(List.of("a", "b", "c"), c.source().parser().json().schema().fields().get(0).pathParts());
        for (String bad : List.of("a//b", "/a", "a/", "a./b")) {
            assertTrue(error(MINIMAL.replace("key: true", "key: true, path: \"" + bad + "\""))
                    .contains("fields[0].path: '" + bad + "' is not a path such as a.b.c or a/b/c"), bad);
        }
    }

    @Test
    void doublecloud_keys_are_refused_with_the_key_to_write_instead() {
        Map<String, String> cases = Map.of(
                MINIMAL + "target: {clickhouse_cleanup_policy: DROP}\n",
                "t.yaml: target.clickhouse_cleanup_policy: unknown key (DoubleCloud's; write target.cleanup_policy)",
                MINIMAL + "target: {alt_name: [{from_name: a, to_name: b}]}\n",
                "t.yaml: target.alt_name: unknown key (DoubleCloud's; write target.alt_names: [{from_name: …, to_name: …}])",
                MINIMAL + "target: {clickhouse_cluster_name: c}\n",
                "t.yaml: target.clickhouse_cluster_name: unknown key (DoubleCloud's; write target.cluster)",
                MINIMAL + "target: {connection: {address: {cluster_id: x}}}\n",
                "t.yaml: target.connection.address: unknown key (DoubleCloud's; write target.connection.url: \"https://host:8443\")",
                MINIMAL.replace("  parser:", "  connection: {on_premise: {broker_urls: [\"h:9091\"]}}\n  parser:"),
                "t.yaml: source.connection: unknown key (DoubleCloud's; write source.brokers: [\"host:9091\"] (on_premise.broker_urls))",
                MINIMAL.replace("  parser:", "  auth: {no_auth: {}}\n  parser:"),
                "t.yaml: source.auth.no_auth: unknown key (DoubleCloud's; write source.auth.security_protocol: PLAINTEXT,"
                        + " or leave auth out)",
                "source:\n  topic_name: t\n  parser:\n    tskv: {}\n",
                "t.yaml: source.parser.tskv: unknown key (DoubleCloud's; only the JSON parser exists: source.parser.json)");
        cases.forEach((yaml, message) -> assertEquals(message, error(yaml), yaml));
    }

    @Test
    void doublecloud_shapes_and_names_are_refused_with_what_to_write_instead() {
        String nested = MINIMAL.replace("      fields:\n          - {name: id, type: uint64, key: true}",
                "      fields:\n            field:\n              - {name: id, type: uint64, key: true}");
        assertTrue(error(nested).contains("source.parser.json.schema.fields: not a list: write fields: [{name: …,"
                + " type: …}, …] without a field: level"), error(nested));
        for (var t : Map.of("timestamp", "write datetime", "float", "write double", "date", "write datetime").entrySet()) {
            String message = error(MINIMAL.replace("type: uint64", "type: " + t.getKey()));
            assertTrue(message.contains("fields[0].type: '" + t.getKey() + "' is not one of ")
                    && message.contains("(DoubleCloud's; " + t.getValue()), message);
        }
        assertTrue(error(MINIMAL.replace("name: id", "name: user-agent")).contains("fields[0].name: 'user-agent' is not"
                + " an identifier (letters, digits, _); to read a key of that name, write name: user_agent, path: \"user-agent\""));
        assertTrue(error(MINIMAL.replace("name: id", "name: _id")).contains("to read a key of that name, write name: id,"
                + " path: \"_id\""));
        TransferConfig c = ConfigText.parse(MINIMAL.replace("name: id", "name: user_agent, path: user-agent"));
        assertEquals(List.of("user-agent"), c.source().parser().json().schema().fields().get(0).pathParts());
    }
}
