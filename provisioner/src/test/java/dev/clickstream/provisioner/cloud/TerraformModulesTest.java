package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.profile.ClickHouseConnection;
import dev.clickstream.common.profile.KafkaConnection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * terraform/ checked without terraform: every .tf file goes through HashiCorp's HCL parser (WASM, from npm,
 * run by node), and what the launcher and the tools rely on must be in the parsed modules.
 */
class TerraformModulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = repositoryRoot();
    private static JsonNode files;

    @BeforeAll
    static void parseEveryModule() throws Exception {
        Parse parse = parse(ROOT.resolve("terraform"));
        assertEquals(0, parse.exit(), "a .tf file does not parse:\n" + parse.err());
        files = JSON.readTree(parse.out());
    }

    @Test
    void every_module_should_have_its_files_by_concern() {
        Set<String> names = new TreeSet<>();
        files.fieldNames().forEachRemaining(names::add);
        for (String name : List.of("versions", "variables", "network", "kafka", "clickhouse", "transfer", "outputs")) {
            assertTrue(names.contains("doublecloud/" + name + ".tf"), name + " missing: " + names);
        }
        for (String name : List.of("versions", "variables", "kafka", "clickhouse", "integration", "outputs")) {
            assertTrue(names.contains("aiven/" + name + ".tf"), name + " missing: " + names);
        }
    }

    @Test
    void a_broken_file_should_be_named_with_its_line(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.tf"), "variable \"x\" {\n  type = \n}\n");
        Parse parse = parse(dir);
        assertEquals(1, parse.exit(), parse::toString);
        assertTrue(parse.err().startsWith("broken.tf: parse config: [broken.tf:2,"), parse::toString);
    }

    @Test
    void terraform_and_providers_should_be_pinned_to_ranges() {
        for (Cloud cloud : Cloud.values()) {
            JsonNode terraform = first(file(cloud, "versions.tf").path("terraform"));
            String required = terraform.path("required_version").asText();
            assertTrue(required.contains(">=") && required.contains("<"), cloud + ": required_version " + required);
            JsonNode providers = first(terraform.path("required_providers"));
            assertTrue(providers.size() > 0, cloud + ": no required_providers");
            providers.forEach(p -> {
                String version = p.path("version").asText();
                assertTrue(version.startsWith("~>") || (version.contains(">=") && version.contains("<")),
                        cloud + ": provider " + p + " is not pinned to a range");
            });
            assertTrue(terraform.path("backend").has("local"), cloud + ": the launcher moves the state with -backend-config");
        }
    }

    @Test
    void every_variable_the_launcher_passes_should_exist() {
        for (Cloud cloud : Cloud.values()) {
            JsonNode variables = variables(cloud);
            Map<String, String> passed = cloud.variables("p", new PublicAddresses.Found("192.0.2.1", null), "t", 3);
            for (String name : passed.keySet()) {
                assertTrue(variables.has(name), cloud + " has no variable " + name + " the launcher passes");
            }
            assertFalse(variable(cloud, cloud.projectVariable()).has("default"), cloud + ": project is required");
            assertTrue(variable(cloud, "my_ip").path("sensitive").asBoolean(), cloud + ": my_ip sensitive");
            assertTrue(variable(cloud, "my_ipv6").path("sensitive").asBoolean(), cloud + ": my_ipv6 sensitive");
            assertEquals("", variable(cloud, "my_ipv6").path("default").asText("-"), cloud + ": no IPv6 is fine");
            assertEquals("clickhouse-events", variable(cloud, "topic").path("default").asText(), cloud + ": topic");
        }
    }

    @Test
    void doublecloud_should_keep_the_demos_defaults() {
        assertEquals("eu-central-1", variable(Cloud.doublecloud, "region_id").path("default").asText());
        assertEquals("~/.config/auth_key.json", variable(Cloud.doublecloud, "dc_key_path").path("default").asText());
        assertFalse(variable(Cloud.doublecloud, "enable_transfer").path("default").asBoolean(true));
        assertEquals("s2-c2-m4", variable(Cloud.doublecloud, "kafka_resource_preset_id").path("default").asText());
        assertEquals(32L << 30, variable(Cloud.doublecloud, "kafka_disk_size").path("default").asLong());
        assertEquals(32L << 30, variable(Cloud.doublecloud, "clickhouse_disk_size").path("default").asLong());
        assertEquals(3, variable(Cloud.aiven, "topic_partitions").path("default").asInt());
    }

    @Test
    void connection_outputs_should_be_sensitive_and_in_the_demos_shape() {
        for (Cloud cloud : Cloud.values()) {
            for (String name : List.of("kafka_connection", "clickhouse_connection", CloudProfiles.OUTPUT)) {
                assertTrue(output(cloud, name).path("sensitive").asBoolean(false), cloud + ": " + name + " not sensitive");
            }
            assertEquals(Set.of("connection_string", "user", "password"),
                    keys(output(cloud, "kafka_connection").path("value")), cloud + ": kafka_connection");
            assertEquals(Set.of("host", "https_port", "tcp_port_secure", "user", "password"),
                    keys(output(cloud, "clickhouse_connection").path("value")), cloud + ": clickhouse_connection");
        }
    }

    @Test
    void clickstream_profile_should_have_the_shape_the_tools_read() {
        for (Cloud cloud : Cloud.values()) {
            JsonNode profile = output(cloud, CloudProfiles.OUTPUT).path("value");
            assertEquals(Set.of("target", "kafka_connection", "clickhouse_connection", "topic"), keys(profile), cloud.name());
            assertEquals(cloud.target(), profile.path("target").asText());
            assertTrue(recordFields(KafkaConnection.class).containsAll(without(keys(profile.path("kafka_connection")), "ca_cert")),
                    cloud + ": kafka_connection " + keys(profile.path("kafka_connection")));
            assertTrue(recordFields(ClickHouseConnection.class).containsAll(
                    without(keys(profile.path("clickhouse_connection")), "ca_cert")),
                    cloud + ": clickhouse_connection " + keys(profile.path("clickhouse_connection")));
            assertTrue(keys(profile.path("kafka_connection")).containsAll(Set.of("connection_string", "user", "password",
                    "security_protocol", "sasl_mechanism")), cloud.name());
            assertTrue(keys(profile.path("clickhouse_connection")).containsAll(Set.of("host", "https_port",
                    "tcp_port_secure", "user", "password", "database")), cloud.name());
            assertEquals("SASL_SSL", profile.path("kafka_connection").path("security_protocol").asText());
            assertEquals("SCRAM-SHA-512", profile.path("kafka_connection").path("sasl_mechanism").asText());
        }
        JsonNode aiven = output(Cloud.aiven, CloudProfiles.OUTPUT).path("value");
        for (String connection : List.of("kafka_connection", "clickhouse_connection")) {
            assertEquals("${data.aiven_project.project.ca_cert}", aiven.path(connection).path("ca_cert").asText(),
                    "Aiven's " + connection + " needs the project CA");
        }
    }

    @Test
    void the_transfer_parser_schema_should_list_every_event_field_after_the_demos_three() {
        JsonNode source = resource(Cloud.doublecloud, "transfer.tf", "doublecloud_transfer_endpoint", "kafka_source");
        JsonNode json = first(first(first(source.path("settings")).path("kafka_source")).path("parser")).path("json");
        JsonNode parser = first(json);
        assertTrue(parser.path("add_rest_column").asBoolean(), "unknown fields go to _rest");
        JsonNode fields = first(file(Cloud.doublecloud, "transfer.tf").path("locals")).path("event_fields");
        assertEquals(eventFields(), names(fields));
        assertEquals(List.of("datetime", "uint64", "utf8"), List.of(fields.get(0).path("type").asText(),
                fields.get(1).path("type").asText(), fields.get(2).path("type").asText()), "the demo's user_ts, id, message");
        Set<String> vocabulary = Set.of("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                "double", "boolean", "string", "utf8", "any", "datetime");
        fields.forEach(f -> assertTrue(vocabulary.contains(f.path("type").asText()), "not a transfer type: " + f));
        String dynamicFor = first(first(first(parser.path("schema")).path("fields")).path("dynamic").path("field"))
                .path("for_each").asText();
        assertEquals("${local.event_fields}", dynamicFor);
        JsonNode sasl = first(first(first(first(source.path("settings")).path("kafka_source")).path("auth")).path("sasl"));
        assertEquals("KAFKA_MECHANISM_SHA512", sasl.path("mechanism").asText());

        JsonNode transfer = resource(Cloud.doublecloud, "transfer.tf", "doublecloud_transfer", "kafka_to_clickhouse");
        assertEquals("INCREMENT_ONLY", transfer.path("type").asText());
        assertTrue(transfer.path("activated").asBoolean());
        assertEquals("${var.enable_transfer ? 1 : 0}", transfer.path("count").asText());
    }

    @Test
    void doublecloud_clickhouse_should_log_in_to_kafka_as_the_demo() {
        JsonNode cluster = resource(Cloud.doublecloud, "clickhouse.tf", "doublecloud_clickhouse_cluster", "clickhouse");
        JsonNode kafka = first(first(cluster.path("config")).path("kafka"));
        assertEquals("SASL_SSL", kafka.path("security_protocol").asText());
        assertEquals("SCRAM_SHA_512", kafka.path("sasl_mechanism").asText());
        assertTrue(kafka.path("sasl_username").asText().contains("connection_info.user"));
        assertTrue(kafka.path("sasl_password").asText().contains("connection_info.password"));
    }

    @Test
    void the_aiven_integration_should_carry_a_queue_table_of_every_event_field() {
        JsonNode integration = resource(Cloud.aiven, "integration.tf", "aiven_service_integration", "clickhouse_kafka");
        assertEquals("clickhouse_kafka", integration.path("integration_type").asText());
        JsonNode table = first(first(integration.path("clickhouse_kafka_user_config")).path("tables"));
        assertEquals("JSONEachRow", table.path("data_format").asText());
        assertEquals("${local.queue_columns}", first(table.path("dynamic").path("columns")).path("for_each").asText());
        JsonNode columns = first(file(Cloud.aiven, "integration.tf").path("locals")).path("queue_columns");
        assertEquals(eventFields(), names(columns));

        JsonNode kafka = resource(Cloud.aiven, "kafka.tf", "aiven_kafka", "kafka");
        JsonNode config = first(kafka.path("kafka_user_config"));
        assertTrue(first(config.path("kafka_authentication_methods")).path("sasl").asBoolean(), "SASL enabled");
        assertTrue(first(config.path("kafka_sasl_mechanisms")).path("scram_sha_512").asBoolean(), "SCRAM-SHA-512");
        JsonNode topic = resource(Cloud.aiven, "kafka.tf", "aiven_kafka_topic", "events");
        assertEquals("${var.topic_partitions}", topic.path("partitions").asText());
    }

    @Test
    void terraform_readme_should_list_every_variable_and_output_of_each_module() throws Exception {
        String readme = Files.readString(ROOT.resolve("terraform/README.md"));
        for (Cloud cloud : Cloud.values()) {
            int start = readme.indexOf("\n## " + cloud.name() + "\n");
            assertTrue(start >= 0, "terraform/README.md has no section ## " + cloud.name());
            int end = readme.indexOf("\n## ", start + 1);
            String section = readme.substring(start, end < 0 ? readme.length() : end);
            for (String kind : List.of("variable", "output")) {
                file(cloud, kind.equals("variable") ? "variables.tf" : "outputs.tf").path(kind).fieldNames()
                        .forEachRemaining(name -> assertTrue(section.contains("| `" + name + "` |"),
                                cloud + ": " + kind + " " + name + " is not in terraform/README.md's table"));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private record Parse(int exit, String out, String err) {
    }

    private static Parse parse(Path dir) throws Exception {
        Path script = ROOT.resolve("terraform/test/parse-all.js");
        if (!Files.isDirectory(ROOT.resolve("terraform/test/node_modules/@cdktf/hcl2json"))) {
            fail("the HCL parser is not installed: run ./run-tests, or `npm ci --prefix terraform/test`");
        }
        Process p;
        try {
            p = new ProcessBuilder("node", script.toString(), dir.toString()).start();
        } catch (IOException e) {
            fail("node is not installed (" + e.getMessage() + "): run ./run-tests, or apt-get install -y nodejs npm");
            throw e;
        }
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        String stdout = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(err.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        return new Parse(p.exitValue(), stdout, stderr);
    }

    private static Path repositoryRoot() {
        return Stream.iterate(Path.of("").toAbsolutePath(), p -> p != null, Path::getParent)
                .filter(p -> Files.isRegularFile(p.resolve("terraform/test/parse-all.js")))
                .findFirst().orElseThrow(() -> new IllegalStateException("no terraform/ above " + Path.of("").toAbsolutePath()));
    }

    private static JsonNode file(Cloud cloud, String name) {
        JsonNode f = files.path(cloud.name() + "/" + name);
        assertFalse(f.isMissingNode(), cloud + "/" + name + " missing");
        return f;
    }

    /** Blocks parse as lists of one object: the first (only) one. */
    private static JsonNode first(JsonNode node) {
        return node.isArray() ? node.path(0) : node;
    }

    private static JsonNode variables(Cloud cloud) {
        return file(cloud, "variables.tf").path("variable");
    }

    private static JsonNode variable(Cloud cloud, String name) {
        JsonNode v = variables(cloud).path(name);
        assertFalse(v.isMissingNode(), cloud + ": variable " + name + " missing");
        return first(v);
    }

    private static JsonNode output(Cloud cloud, String name) {
        JsonNode o = file(cloud, "outputs.tf").path("output").path(name);
        assertFalse(o.isMissingNode(), cloud + ": output " + name + " missing");
        return first(o);
    }

    private static JsonNode resource(Cloud cloud, String fileName, String type, String name) {
        JsonNode r = file(cloud, fileName).path("resource").path(type).path(name);
        assertFalse(r.isMissingNode(), cloud + ": resource " + type + "." + name + " missing");
        return first(r);
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new TreeSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Set<String> without(Set<String> keys, String key) {
        Set<String> copy = new HashSet<>(keys);
        copy.remove(key);
        return copy;
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    /** The JSON names of a record's components, as the profile store writes them. */
    private static Set<String> recordFields(Class<? extends Record> type) {
        PropertyNamingStrategies.NamingBase snake = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
        Set<String> names = new TreeSet<>();
        Arrays.stream(type.getRecordComponents()).forEach(c -> names.add(snake.translate(c.getName())));
        return names;
    }

    private static List<String> eventFields() {
        PropertyNamingStrategies.NamingBase snake = (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
        return Arrays.stream(ClickEvent.class.getRecordComponents()).map(c -> snake.translate(c.getName())).toList();
    }
}
