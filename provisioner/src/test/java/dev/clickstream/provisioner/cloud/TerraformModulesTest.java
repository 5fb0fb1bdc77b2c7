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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    // ------------------------------------------- what the providers accept on the first apply (issue 31)

    /**
     * The attributes and blocks the modules set that not every release of the pinned major has, as
     * "resource type.block.….attribute" (a row covers everything under it), with the first provider version that has
     * it. Whatever a module sets that is not listed is taken to be in every release its pin allows: a module that
     * starts using something newer gets a row here.
     * <p>
     * Sources, as read for issue 31 in the providers' source at their release tags:
     * <ul>
     * <li>doublecloud/terraform-provider-doublecloud v0.1.4 vs v0.1.5: {@code internal/provider/models.go}
     * (AccessSchemaBlock: data_services, ipv4_cidr_blocks, ipv6_cidr_blocks, and the clusters' {@code access} block that
     * holds them) and {@code internal/provider/transfer_endpoint_kafka.go} (transferParserSchemaFieldsFieldSchema:
     * the parser field's {@code required}, and its {@code path}, which the module leaves out);</li>
     * <li>aiven/terraform-provider-aiven: the generated user config schemas ({@code internal/sdkprovider/userconfig}):
     * kafka_user_config.kafka_sasl_mechanisms from v4.23.0; clickhouse_kafka_user_config.tables'
     * date_time_input_format and auto_offset_reset from v4.7.0 (the CHANGELOG lists user config updates without
     * naming each field).</li>
     * </ul>
     */
    private static final Map<Cloud, Map<String, String>> FIRST_VERSION = Map.of(
            Cloud.doublecloud, table(
                    "doublecloud_clickhouse_cluster.access", "0.1.5",
                    "doublecloud_clickhouse_cluster.access.data_services", "0.1.5",
                    "doublecloud_clickhouse_cluster.access.ipv4_cidr_blocks", "0.1.5",
                    "doublecloud_clickhouse_cluster.access.ipv6_cidr_blocks", "0.1.5",
                    "doublecloud_kafka_cluster.access", "0.1.5",
                    "doublecloud_kafka_cluster.access.data_services", "0.1.5",
                    "doublecloud_kafka_cluster.access.ipv4_cidr_blocks", "0.1.5",
                    "doublecloud_kafka_cluster.access.ipv6_cidr_blocks", "0.1.5",
                    "doublecloud_transfer_endpoint.settings.kafka_source.parser.json.schema.fields.field.required", "0.1.5"),
            Cloud.aiven, table(
                    "aiven_kafka.kafka_user_config.kafka_sasl_mechanisms", "4.23.0",
                    "aiven_service_integration.clickhouse_kafka_user_config.tables.date_time_input_format", "4.7.0",
                    "aiven_service_integration.clickhouse_kafka_user_config.tables.auto_offset_reset", "4.7.0"));

    @Test
    void every_provider_pin_should_start_at_a_version_with_everything_its_module_sets() {
        for (Cloud cloud : Cloud.values()) {
            Map<String, JsonNode> module = module(files, cloud.name() + "/");
            Set<String> used = usedPaths(module);
            JsonNode providers = first(first(file(cloud, "versions.tf").path("terraform")).path("required_providers"));
            String pin = providers.path(cloud.name()).path("version").asText();
            assertFalse(pin.isEmpty(), cloud + ": no version for provider " + cloud.name() + " in " + providers);
            FIRST_VERSION.get(cloud).forEach((path, version) -> {
                assertTrue(used.stream().anyMatch(u -> u.equals(path) || u.startsWith(path + ".")),
                        cloud + ": the table names " + path + ", which the module no longer sets: drop the row");
                assertTrue(compare(lowestAllowed(pin), version) >= 0, cloud + ": the pin \"" + pin + "\" allows "
                        + lowestAllowed(pin) + ", which lacks " + path + " (first in " + version + ")");
            });
        }
    }

    @Test
    void the_lowest_version_a_pin_allows_should_be_its_lower_bound() {
        assertEquals("0.1", lowestAllowed("~> 0.1"));
        assertEquals("0.1.5", lowestAllowed("~> 0.1.5"));
        assertEquals("4.23", lowestAllowed("~> 4.23"));
        assertEquals("4.23.0", lowestAllowed(">= 4.23.0, < 5.0.0"));
        assertEquals("0", lowestAllowed("< 5.0.0"));
        assertEquals("0", lowestAllowed("<= 5.0.0, != 4.1.0"));
        assertTrue(compare("4.23", "4.23.0") == 0 && compare("4.7.0", "4.23.0") < 0 && compare("0.1.5", "0.1.10") < 0);
    }

    /**
     * The DoubleCloud provider reads an empty value back from the API as null (v0.1.26:
     * {@code internal/provider/models.go} AccessModel.parse for data_services and the CIDR blocks,
     * {@code transfer_endpoint_kafka.go} transferParserSchemaFieldsField.parse for a field's path), so a module that
     * plans "" or [] gets "Provider produced inconsistent result after apply", or a change on every plan. The module
     * leaves such a value out (null) instead, on every attribute: literally, as a branch of a conditional, through a
     * local, or through a dynamic block's elements.
     */
    @Test
    void doublecloud_should_leave_out_what_would_be_empty() {
        List<String> empty = emptySettings(module(files, "doublecloud/"));
        assertEquals(List.of(), empty, "terraform/doublecloud sets an empty value: write null (leave it out) instead");
    }

    @Test
    void the_empty_value_rule_should_catch_each_way_of_writing_one(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fixture.tf"), """
                locals {
                  blocks = var.v6 == "" ? [] : [{ value = var.v6 }]
                  alias  = local.blocks
                  fields = [{ name = "a", path = "" }, { name = "b", path = "b" }]
                  described = var.v6 == "" ? null : [{ value = var.v6, description = "" }]
                }
                resource "doublecloud_kafka_cluster" "k" {
                  name = var.v6 == "" ? "none" : var.v6
                  access {
                    data_services    = var.on ? ["transfer"] : []
                    ipv4_cidr_blocks = []
                    ipv6_cidr_blocks = local.alias
                    other            = var.on ? tolist([]) : null
                  }
                }
                resource "doublecloud_transfer_endpoint" "t" {
                  settings {
                    fields {
                      dynamic "field" {
                        for_each = local.fields
                        content {
                          name = field.value.name
                          path = field.value.path
                          key  = ""
                        }
                      }
                    }
                  }
                  description = local.described
                }
                """);
        Parse parse = parse(dir);
        assertEquals(0, parse.exit(), parse::toString);
        List<String> empty = emptySettings(module(JSON.readTree(parse.out()), ""));
        List<String> where = empty.stream().map(e -> e.substring(0, e.indexOf(' '))).sorted().toList();
        assertEquals(List.of(
                "fixture.tf:doublecloud_kafka_cluster.k.access.data_services",
                "fixture.tf:doublecloud_kafka_cluster.k.access.ipv4_cidr_blocks",
                "fixture.tf:doublecloud_kafka_cluster.k.access.ipv6_cidr_blocks",
                "fixture.tf:doublecloud_kafka_cluster.k.access.other",
                "fixture.tf:doublecloud_transfer_endpoint.t.description",
                "fixture.tf:doublecloud_transfer_endpoint.t.settings.fields.field.key",
                "fixture.tf:doublecloud_transfer_endpoint.t.settings.fields.field.path"), where, String.join("\n", empty));
    }

    /**
     * Aiven's documentation names the components' {@code usage} ("primary") and {@code kafka_authentication_method}
     * ("sasl") values (docs/data-sources/service_component.md) but not the ClickHouse component names, so every
     * lookup over a service's {@code components} takes the first match and is guarded by a postcondition on that
     * service with the same filter: no match stops the apply with the components Aiven did report.
     */
    @Test
    void every_aiven_component_lookup_should_be_guarded_by_a_postcondition_with_its_filter() {
        Pattern lookup = Pattern.compile("for c in (aiven_\\w+)\\.(\\w+)\\.components : c\\s+if (.+?)\\s*]\\[0]", Pattern.DOTALL);
        int lookups = 0;
        for (Map.Entry<String, JsonNode> local : locals(module(files, "aiven/")).entrySet()) {
            String text = local.getValue().asText();
            if (!text.contains(".components")) {
                continue;
            }
            Matcher m = lookup.matcher(text);
            assertTrue(m.find(), "local." + local.getKey() + " looks up components otherwise than [for c in X.components : c if ...][0]: " + text);
            lookups++;
            String filter = m.group(3).replaceAll("\\s+", " ");
            JsonNode resource = null;
            for (JsonNode f : module(files, "aiven/").values()) {
                JsonNode r = f.path("resource").path(m.group(1)).path(m.group(2));
                resource = r.isMissingNode() ? resource : first(r);
            }
            assertTrue(resource != null, "local." + local.getKey() + " reads " + m.group(1) + "." + m.group(2) + ", which no file declares");
            List<String> conditions = new ArrayList<>();
            first(resource.path("lifecycle")).path("postcondition").forEach(c -> conditions.add(c.path("condition").asText()));
            assertTrue(conditions.stream().anyMatch(c -> c.replaceAll("\\s+", " ").contains(": " + filter + "])")),
                    "local." + local.getKey() + " filters components on \"" + filter + "\", but no postcondition of "
                            + m.group(1) + "." + m.group(2) + " checks that filter: " + conditions);
        }
        assertEquals(3, lookups, "the HTTPS and native ClickHouse endpoints and the Kafka SASL listener");
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

    /** A module's parsed files ("name.tf" -> JSON) among all of them, by the folder prefix of their names. */
    private static Map<String, JsonNode> module(JsonNode all, String prefix) {
        Map<String, JsonNode> module = new LinkedHashMap<>();
        all.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith(prefix) && e.getKey().indexOf('/', prefix.length()) < 0) {
                module.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        });
        return module;
    }

    private static Map<String, JsonNode> locals(Map<String, JsonNode> module) {
        Map<String, JsonNode> locals = new LinkedHashMap<>();
        module.values().forEach(f -> f.path("locals").forEach(block -> block.fields()
                .forEachRemaining(e -> locals.put(e.getKey(), e.getValue()))));
        return locals;
    }

    private static Map<String, String> table(String... pathThenVersion) {
        Map<String, String> table = new LinkedHashMap<>();
        for (int i = 0; i < pathThenVersion.length; i += 2) {
            table.put(pathThenVersion[i], pathThenVersion[i + 1]);
        }
        return table;
    }

    /** Meta-arguments: Terraform's, not the provider's. */
    private static final Set<String> META = Set.of("count", "for_each", "depends_on", "provider", "lifecycle",
            "provisioner", "connection");

    /** Every block and attribute the module's resources and data sources set, as "type.block.….attribute". */
    private static Set<String> usedPaths(Map<String, JsonNode> module) {
        Set<String> used = new TreeSet<>();
        for (JsonNode f : module.values()) {
            for (String kind : List.of("resource", "data")) {
                f.path(kind).fields().forEachRemaining(type -> type.getValue().forEach(
                        named -> named.forEach(body -> collectPaths(type.getKey(), body, used))));
            }
        }
        return used;
    }

    private static void collectPaths(String path, JsonNode body, Set<String> used) {
        body.fields().forEachRemaining(e -> {
            if (META.contains(e.getKey())) {
                return;
            }
            if (e.getKey().equals("dynamic")) {
                e.getValue().fields().forEachRemaining(d -> d.getValue().forEach(
                        block -> block.path("content").forEach(content -> {
                            used.add(path + "." + d.getKey());
                            collectPaths(path + "." + d.getKey(), content, used);
                        })));
                return;
            }
            used.add(path + "." + e.getKey());
            if (e.getValue().isArray()) {
                e.getValue().forEach(item -> {
                    if (item.isObject()) {
                        collectPaths(path + "." + e.getKey(), item, used);
                    }
                });
            }
        });
    }

    /**
     * "" or [] (or tolist([]), toset([])) inside an expression: as a branch of a conditional ({@code ? [] :},
     * {@code : ""}) or as an attribute of an object in it ({@code description = ""}); not a comparison ({@code == ""}).
     */
    private static final Pattern EMPTY_IN_EXPRESSION = Pattern.compile(
            "(?:[?:]|(?<![=!<>])=)\\s*(?:\\[\\s*]|\"\"|to(?:list|set)\\(\\s*\\[\\s*]\\s*\\))\\s*(?=[,:)}\\]]|$)");
    private static final Pattern LOCAL = Pattern.compile("\\$\\{local\\.(\\w+)}");

    /** "file:type.name.path expression" for every value the module's resources and data sources may set empty. */
    private static List<String> emptySettings(Map<String, JsonNode> module) {
        Map<String, JsonNode> locals = locals(module);
        List<String> empty = new ArrayList<>();
        module.forEach((name, f) -> {
            for (String kind : List.of("resource", "data")) {
                f.path(kind).fields().forEachRemaining(type -> type.getValue().fields().forEachRemaining(
                        named -> named.getValue().forEach(body -> checkBody(name + ":" + type.getKey() + "."
                                + named.getKey(), body, locals, Map.of(), empty))));
            }
        });
        return empty;
    }

    /** iterators: the dynamic blocks around this body, their iterator name -> the elements of their for_each. */
    private static void checkBody(String path, JsonNode body, Map<String, JsonNode> locals,
                                  Map<String, JsonNode> iterators, List<String> empty) {
        body.fields().forEachRemaining(e -> {
            if (META.contains(e.getKey())) {
                return;
            }
            if (e.getKey().equals("dynamic")) {
                e.getValue().fields().forEachRemaining(d -> d.getValue().forEach(block -> {
                    Map<String, JsonNode> inner = new LinkedHashMap<>(iterators);
                    inner.put(block.path("iterator").asText(d.getKey()), resolve(block.path("for_each"), locals));
                    block.path("content").forEach(content -> checkBody(path + "." + d.getKey(), content, locals, inner, empty));
                }));
                return;
            }
            JsonNode value = e.getValue();
            if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
                value.forEach(block -> checkBody(path + "." + e.getKey(), block, locals, iterators, empty));
            } else {
                checkValue(path + "." + e.getKey(), value, locals, iterators, empty, 0);
            }
        });
    }

    private static void checkValue(String path, JsonNode value, Map<String, JsonNode> locals,
                                   Map<String, JsonNode> iterators, List<String> empty, int depth) {
        assertTrue(depth < 20, path + ": locals refer to each other in a loop");
        if (value.isArray()) {
            if (value.size() == 0) {
                empty.add(path + " []");
            }
            value.forEach(item -> checkValue(path + "[]", item, locals, iterators, empty, depth + 1));
        } else if (value.isObject()) {
            value.fields().forEachRemaining(e -> checkValue(path + "." + e.getKey(), e.getValue(), locals, iterators,
                    empty, depth + 1));
        } else if (value.isTextual()) {
            String text = value.asText();
            Matcher local = LOCAL.matcher(text);
            Matcher element = Pattern.compile("\\$\\{(\\w+)\\.value\\.(\\w+)}").matcher(text);
            if (text.isEmpty()) {
                empty.add(path + " \"\"");
            } else if (local.matches() && locals.containsKey(local.group(1))) {
                checkValue(path, locals.get(local.group(1)), locals, iterators, empty, depth + 1);
            } else if (element.matches() && iterators.containsKey(element.group(1))) {
                iterators.get(element.group(1)).forEach(item -> {
                    if (item.has(element.group(2))) {
                        checkValue(path, item.get(element.group(2)), locals, iterators, empty, depth + 1);
                    }
                });
            } else if (text.startsWith("${") && text.endsWith("}")
                    && EMPTY_IN_EXPRESSION.matcher(text.substring(2, text.length() - 1).strip()).find()) {
                empty.add(path + " " + text);
            }
        }
    }

    /** A for_each: its local's literal list when it names one, else the value as it is. */
    private static JsonNode resolve(JsonNode value, Map<String, JsonNode> locals) {
        Matcher local = LOCAL.matcher(value.asText());
        return local.matches() && locals.containsKey(local.group(1)) ? resolve(locals.get(local.group(1)), locals) : value;
    }

    /** The lowest version a Terraform version constraint allows: its "~>" or ">=" bound, else "0". */
    private static String lowestAllowed(String constraint) {
        Matcher m = Pattern.compile("(?<![<!])(?:~>|>=|=)\\s*v?(\\d+(?:\\.\\d+)*)").matcher(constraint);
        return m.find() ? m.group(1) : "0";
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\."), y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
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
