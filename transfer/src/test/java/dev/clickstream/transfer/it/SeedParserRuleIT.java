package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser rule of terraform/doublecloud/transfer.tf, as HashiCorp's HCL parser reads it (the dynamic "field"
 * block over local.event_fields, each with {@code key = false} as the original demo writes it and no {@code path}:
 * the provider sends a missing path to the API as the demo's {@code path = ""}), converted field by field into the
 * transfer's config, with {@code path: ""} where the module leaves it out, and run on the demo's three-field events
 * and on ours.
 */
@WithLocalStack
class SeedParserRuleIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_terraform_parser_rule_runs_verbatim_on_the_demo_events_and_ours(TestStack stack) throws Exception {
        JsonNode tf = parseTerraform(ROOT.resolve("terraform/doublecloud")).get("transfer.tf");
        JsonNode json = first(first(first(first(tf.get("resource").get("doublecloud_transfer_endpoint")
                .get("kafka_source")).get("settings")).get("kafka_source")).get("parser")).get("json");
        JsonNode json0 = first(json);
        List<JsonNode> fields = expandDynamicFields(first(first(json0.get("schema")).get("fields")), first(tf.get("locals")));
        assertTrue(fields.size() >= 3, "the rule names the demo's fields: " + fields);

        String topic = stack.newTopic("seed-rule", 1);
        String db = stack.newDatabase("seed_rule");
        String table = topic.replace('-', '_');
        StringBuilder yaml = new StringBuilder("profile: " + stack.profileFile() + "\nsource:\n  topic_name: " + topic
                + "\n  parser:\n    json:\n      schema:\n        fields:\n");
        for (JsonNode f : fields) {
            yaml.append("          - {name: ").append(f.get("name").asText()).append(", type: ")
                    .append(f.get("type").asText()).append(", key: ").append(f.get("key").asBoolean())
                    .append(", required: ").append(f.get("required").asBoolean()).append(", path: \"")
                    .append(f.path("path").asText()).append("\"}\n"); // left out: "" (issue 31)
        }
        yaml.append("      null_keys_allowed: ").append(json0.get("null_keys_allowed").asBoolean())
                .append("\n      add_rest_column: ").append(json0.get("add_rest_column").asBoolean())
                .append("\ntarget:\n  database: ").append(db).append("\nbatch:\n  max_delay: 200ms\nhttp:\n  port: 0\n");
        Path config = dir.resolve("seed-rule.yaml");
        Files.writeString(config, yaml);
        assertTrue(yaml.toString().contains("{name: user_ts, type: datetime, key: false, required: true, path: \"\"}"),
                yaml.toString());

        List<String> lines = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            // the original demo's producer: three fields
            lines.add("{\"user_ts\":\"" + TestEvents.userTs(n) + "\",\"id\":" + n + ",\"message\":\"hello " + n + "\"}");
        }
        lines.addAll(TestEvents.jsonLines(50, 100));
        TestKafka.produce(stack.kafka(), topic, lines);
        try (InProcessTransfer transfer = InProcessTransfer.start(stack, config, "seed-rule");
             ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(100, awaitDelivered(ch, db, table, 100, Duration.ofSeconds(60)));
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + "." + table + "_unparsed"),
                    ch.queryText("SELECT reason FROM " + db + "." + table + "_unparsed LIMIT 3"));
            assertEquals(50, ch.queryLong("SELECT count() FROM " + db + "." + table
                    + " WHERE message LIKE 'hello %' AND isNull(event_type) AND _rest = '{}'"));
            assertEquals(50, ch.queryLong("SELECT count() FROM " + db + "." + table
                    + " WHERE event_type != '' AND duration_ms = 100 + id - 9223372036854775808 AND _rest = '{}'"),
                    "every field of our events has its column");
        }
    }

    /** The content of a {@code dynamic "field"} block for each element of its for_each local, references resolved. */
    private static List<JsonNode> expandDynamicFields(JsonNode fieldsBlock, JsonNode locals) {
        JsonNode dynamic = first(fieldsBlock.get("dynamic").get("field"));
        String forEach = dynamic.get("for_each").asText();
        assertEquals("${local.event_fields}", forEach);
        JsonNode content = first(dynamic.get("content"));
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (JsonNode element : locals.get("event_fields")) {
            var field = m.createObjectNode();
            content.fields().forEachRemaining(e -> {
                String v = e.getValue().isTextual() ? e.getValue().asText() : null;
                if (v != null && v.startsWith("${field.value.") && v.endsWith("}")) {
                    field.set(e.getKey(), element.get(v.substring("${field.value.".length(), v.length() - 1)));
                } else {
                    field.set(e.getKey(), e.getValue());
                }
            });
            out.add(field);
        }
        return out;
    }

    private static JsonNode first(JsonNode node) {
        return node.isArray() ? node.get(0) : node;
    }

    private static JsonNode parseTerraform(Path module) throws Exception {
        Path script = ROOT.resolve("terraform/test/parse-all.js");
        assertTrue(Files.isDirectory(ROOT.resolve("terraform/test/node_modules/@cdktf/hcl2json")),
                "the HCL parser is not installed: ./run-tests installs it (npm ci --prefix terraform/test)");
        Process p = new ProcessBuilder("node", script.toString(), module.toString()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(out);
    }
}
