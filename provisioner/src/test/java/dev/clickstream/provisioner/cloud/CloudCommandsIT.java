package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cloud path end to end with a stand-in terraform whose outputs point at the real local stack: the
 * launcher must write the profile, reach Kafka over SASL_SSL with the CA from the outputs, create the topic,
 * check ClickHouse, and never print a password.
 */
@WithLocalStack
class CloudCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MY_IP = "203.0.113.7";

    @TempDir
    Path stateDir;
    @TempDir
    Path terraformDir;

    private StandInTerraform terraform;
    private HttpServer addressEcho;
    private String topic;

    @BeforeEach
    void setUp() throws Exception {
        terraform = new StandInTerraform(terraformDir);
        topic = "cloud-events-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        // This machine's "public" addresses: an IPv4 and no IPv6, as on many networks.
        addressEcho = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        addressEcho.createContext("/v4", exchange -> {
            byte[] body = MY_IP.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        addressEcho.createContext("/v6", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        addressEcho.start();
    }

    @AfterEach
    void tearDown() {
        addressEcho.stop(0);
    }

    @Test
    void up_cloud_should_apply_write_the_profile_from_the_outputs_and_create_the_topic(TestStack stack) throws Exception {
        ConnectionProfile local = stack.profile();
        ObjectNode profileOutput = profileOutput(stack, "aiven");
        String database = profileOutput.get("clickhouse_connection").get("database").asText();
        // What Aiven's clickhouse_kafka integration creates: a Kafka engine table in a database of its own.
        String integration = stack.newDatabase("service_kafka");
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + integration + ".clickhouse_events_queue (user_ts String, id UInt64,"
                    + " message String, event_id String, event_type String, user_id String, session_id String,"
                    + " session_seq UInt32, page String, url String, referrer String, device String, browser String,"
                    + " os String, user_agent String, country String, product_id Nullable(String),"
                    + " price Nullable(Float64), duration_ms UInt64) ENGINE = Kafka SETTINGS kafka_broker_list = '"
                    + local.kafkaConnection().connectionString() + "', kafka_topic_list = '" + topic
                    + "', kafka_group_name = 'aiven-integration', kafka_format = 'JSONEachRow'");
        }
        terraform.answerOutputs(Map.of("clickstream_profile", profileOutput),
                Map.of("kafka_engine_table", TextNode.valueOf(integration + ".clickhouse_events_queue")));

        CliRun run = up("aiven", "--project", "my-project", "--partitions", "4");

        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("Public IPv4 of this machine: " + MY_IP), run::toString);
        assertTrue(run.out().contains("No public IPv6 found"), run::toString);
        assertTrue(run.out().contains("Apply complete!"), "terraform's own output is streamed:\n" + run);

        List<String> init = terraform.callsOf("init");
        assertEquals(1, init.size(), terraform.calls()::toString);
        Path workspace = stateDir.resolve("cloud").resolve("aiven");
        assertTrue(init.get(0).contains("[-backend-config=path=" + workspace.resolve("terraform.tfstate") + "]"),
                init::toString);
        assertTrue(init.get(0).startsWith("TF_DATA_DIR=" + workspace.resolve("terraform-data")), init::toString);
        List<String> apply = terraform.callsOf("apply");
        assertEquals(1, apply.size(), terraform.calls()::toString);
        for (String flag : List.of("[-auto-approve]", "[-var] [project=my-project]", "[-var] [my_ip=" + MY_IP + "]",
                "[-var] [my_ipv6=]", "[-var] [topic=" + topic + "]", "[-var] [topic_partitions=4]")) {
            assertTrue(apply.get(0).contains(flag), flag + " missing in " + apply);
        }
        Path repoModule = Path.of("").toAbsolutePath().getParent().resolve("terraform").resolve("aiven");
        assertTrue(apply.get(0).contains("[-chdir=" + repoModule + "]"), "the checkout's module by default: " + apply);
        assertEquals(1, terraform.callsOf("output").size(), terraform.calls()::toString);

        Path profileFile = stateDir.resolve("profile.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(profileFile)));
        ConnectionProfile written = ProfileStore.load(profileFile);
        assertEquals("aiven", written.target());
        assertEquals(topic, written.topic());
        assertEquals(local.kafkaConnection().listeners().get("SASL_SSL"), written.kafkaConnection().connectionString());
        assertEquals("SASL_SSL", written.kafkaConnection().securityProtocol());
        assertEquals(local.kafkaConnection().password(), written.kafkaConnection().password());
        Path bundle = workspace.resolve("ca-bundle.pem");
        assertEquals(bundle.toString(), written.kafkaConnection().caFile(), "ca_cert became a file");
        assertTrue(Files.readString(bundle).startsWith(Files.readString(Path.of(local.kafkaConnection().caFile())).strip()),
                "the bundle starts with the CA from the outputs");
        assertFalse(Files.readString(profileFile).contains("ca_cert"), "the PEM text stays out of the profile");
        assertEquals(local.clickhouseConnection().password(), written.clickhouseConnection().password());
        assertEquals(local.clickhouseConnection().httpPort(), written.clickhouseConnection().httpPort());

        // The topic exists now, with the requested partitions, made through the profile's SASL_SSL endpoint.
        assertTrue(run.out().contains("topic       " + topic + " created (4 partitions)"), run::toString);
        assertEquals(4, partitionsOf(stack, topic));
        assertTrue(run.out().matches("(?s).*clickhouse  ready: http://127\\.0\\.0\\.1:\\d+ as 'admin', ClickHouse \\S+.*"),
                run::toString);
        assertNoPasswords(local, run);

        // The Kafka-engine SQL went to the profile's ClickHouse, reading the integration's queue table.
        assertTrue(run.out().contains("-> " + integration + ".clickhouse_events_queue -> events_mv -> " + database
                + ".events"), run::toString);
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals("events\tMergeTree\nevents_mv\tMaterializedView\n", ch.queryText("SELECT name, engine"
                    + " FROM system.tables WHERE database = '" + database + "' ORDER BY name"));
        }

        // Again: the same apply, the topic found, still no secret on the screen.
        CliRun again = up("aiven");
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("topic       " + topic + " exists (4 partitions)"), again::toString);
        assertTrue(terraform.callsOf("apply").get(1).contains("[-var] [project=my-project]"),
                "the project of the last run is kept: " + terraform.calls());
        assertNoPasswords(local, again);
    }

    @Test
    void up_cloud_doublecloud_should_pass_that_modules_variables(TestStack stack) throws Exception {
        ObjectNode output = profileOutput(stack, "doublecloud");
        ((ObjectNode) output.get("kafka_connection")).remove("ca_cert");
        ((ObjectNode) output.get("kafka_connection")).put("connection_string",
                stack.profile().kafkaConnection().connectionString());
        ((ObjectNode) output.get("kafka_connection")).put("security_protocol", "SASL_PLAINTEXT");
        terraform.answerOutputs(Map.of("clickstream_profile", output), Map.of());

        CliRun run = up("doublecloud", "--project", "dc-project", "--my-ip", "198.51.100.1", "--my-ipv6", "2001:db8::1");

        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(run.out().contains("Public IPv4"), "no lookup when the addresses are given:\n" + run);
        String apply = terraform.callsOf("apply").get(0);
        for (String flag : List.of("[project_id=dc-project]", "[my_ip=198.51.100.1]", "[my_ipv6=2001:db8::1]",
                "[topic=" + topic + "]")) {
            assertTrue(apply.contains(flag), flag + " missing in " + apply);
        }
        assertFalse(apply.contains("topic_partitions"), "the DoubleCloud module has no such variable: " + apply);
        ConnectionProfile written = ProfileStore.load(stateDir.resolve("profile.json"));
        assertEquals("doublecloud", written.target());
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals("Kafka", ch.queryText("SELECT engine FROM system.tables WHERE database = '"
                    + written.clickhouseConnection().database() + "' AND name = 'events_queue'").strip(),
                    "without an integration the SQL creates its own queue table");
        }
        assertNull(written.kafkaConnection().caFile(), "publicly trusted certificates: no CA file");
        assertEquals(3, partitionsOf(stack, topic), "the default --partitions");
    }

    @Test
    void status_should_check_both_endpoints_of_a_cloud_profile_without_printing_secrets(TestStack stack) throws Exception {
        ConnectionProfile local = stack.profile();
        terraform.answerOutputs(Map.of("clickstream_profile", profileOutput(stack, "aiven")), Map.of());
        assertEquals(0, up("aiven", "--project", "p").exitCode());

        CliRun status = CliRun.of("status", "--state-dir", stateDir.toString());

        assertEquals(0, status.exitCode(), status::toString);
        assertTrue(status.out().startsWith("Cloud stack on aiven, profile " + stateDir.resolve("profile.json")),
                status::toString);
        assertTrue(status.out().matches("(?s).*\\nkafka\\s+-\\s+healthy\\s+SASL_SSL 127\\.0\\.0\\.1:\\d+.*"), status::toString);
        assertTrue(status.out().contains("topic " + topic + ": 3 partitions"), status::toString);
        assertTrue(status.out().matches("(?s).*\\nclickhouse\\s+-\\s+healthy\\s+HTTP http://127\\.0\\.0\\.1:\\d+.*"),
                status::toString);
        assertTrue(status.out().contains("(password " + dev.clickstream.common.profile.Secrets.mask(
                local.kafkaConnection().password()) + ")"), "masked, as everywhere:\n" + status);
        assertNoPasswords(local, status);
    }

    @Test
    void status_should_say_which_endpoint_refuses_and_exit_1(TestStack stack) throws Exception {
        ObjectNode output = profileOutput(stack, "aiven");
        ((ObjectNode) output.get("kafka_connection")).put("password", "wrong-kafka-password");
        ((ObjectNode) output.get("clickhouse_connection")).put("password", "wrong-clickhouse-password");
        ConnectionProfile profile = ProfileStore.mapper().treeToValue(withCaFile(output, stack), ConnectionProfile.class);
        ProfileStore.save(profile, stateDir.resolve("profile.json"));

        CliRun status = CliRun.of("status", "--state-dir", stateDir.toString());

        assertEquals(1, status.exitCode(), status::toString);
        assertTrue(status.out().matches("(?s).*\\nkafka\\s+-\\s+UNHEALTHY .*refused the credentials.*"), status::toString);
        assertTrue(status.out().matches("(?s).*\\nclickhouse\\s+-\\s+UNHEALTHY .*refused the credentials.*"),
                status::toString);
        assertTrue(status.out().contains("up --cloud aiven"), status::toString);
        assertFalse(status.out().contains("wrong-kafka-password") || status.out().contains("wrong-clickhouse-password"),
                status::toString);
    }

    @Test
    void down_cloud_should_destroy_only_after_a_yes(TestStack stack) throws Exception {
        ConnectionProfile local = stack.profile();
        terraform.answerOutputs(Map.of("clickstream_profile", profileOutput(stack, "aiven")), Map.of());
        assertEquals(0, up("aiven", "--project", "p").exitCode());
        Path profileFile = stateDir.resolve("profile.json");

        CliRun no = CliRun.withInput("n\n", "down", "--cloud", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString());
        assertEquals(1, no.exitCode(), no::toString);
        assertTrue(no.out().contains("Destroy them? [y/N]"), no::toString);
        assertTrue(no.err().startsWith("error: not confirmed: nothing destroyed"), no::toString);
        assertTrue(terraform.callsOf("destroy").isEmpty(), terraform.calls()::toString);
        assertTrue(Files.isRegularFile(profileFile));

        CliRun noInput = CliRun.withInput("", "down", "--cloud", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString());
        assertEquals(1, noInput.exitCode(), "no answer is no:\n" + noInput);
        assertTrue(terraform.callsOf("destroy").isEmpty(), terraform.calls()::toString);

        CliRun yes = CliRun.withInput("y\n", "down", "--cloud", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString());
        assertEquals(0, yes.exitCode(), yes::toString);
        List<String> destroy = terraform.callsOf("destroy");
        assertEquals(1, destroy.size(), terraform.calls()::toString);
        assertTrue(destroy.get(0).contains("[-var] [project=p]") && destroy.get(0).contains("[my_ip=" + MY_IP + "]"),
                "the variables of the apply: " + destroy);
        assertFalse(Files.exists(profileFile), "the profile of destroyed services is gone");
        assertTrue(yes.out().contains("Destroy complete!"), yes::toString);
        assertNoPasswords(local, yes);

        CliRun nothingLeft = CliRun.of("down", "--cloud", "--yes", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString());
        assertEquals(0, nothingLeft.exitCode(), nothingLeft::toString);
        assertTrue(nothingLeft.out().contains("nothing to destroy"), nothingLeft::toString);
        assertEquals(1, terraform.callsOf("destroy").size());
    }

    @Test
    void down_cloud_yes_should_not_ask(TestStack stack) throws Exception {
        terraform.answerOutputs(Map.of("clickstream_profile", profileOutput(stack, "aiven")), Map.of());
        assertEquals(0, up("aiven", "--project", "p").exitCode());

        CliRun run = CliRun.withInput("", "down", "--cloud", "aiven", "--yes", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString());

        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(run.out().contains("[y/N]"), run::toString);
        assertEquals(1, terraform.callsOf("destroy").size(), terraform.calls()::toString);
    }

    @Test
    void local_commands_should_leave_a_cloud_stack_alone(TestStack stack) throws Exception {
        terraform.answerOutputs(Map.of("clickstream_profile", profileOutput(stack, "aiven")), Map.of());
        assertEquals(0, up("aiven", "--project", "p").exitCode());

        CliRun localUp = CliRun.of("up", "--random-ports", "--state-dir", stateDir.toString());
        assertEquals(1, localUp.exitCode(), localUp::toString);
        assertTrue(localUp.err().startsWith("error: " + stateDir + " holds the profile of the stack on aiven"), localUp::toString);
        assertFalse(Files.exists(stateDir.resolve("stack.json")), "no local stack started");

        CliRun localDown = CliRun.of("down", "--state-dir", stateDir.toString());
        assertEquals(0, localDown.exitCode(), localDown::toString);
        assertTrue(localDown.out().contains("points at the stack on aiven, which keeps running: `./clickstream down --cloud`"),
                localDown::toString);
        assertEquals("aiven", ProfileStore.load(stateDir.resolve("profile.json")).target());
    }

    @Test
    void a_missing_terraform_should_be_one_line_with_the_install_hint() {
        CliRun run = CliRun.of("up", "--cloud", "--project", "p", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraformDir.resolve("no-such-terraform").toString());

        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().startsWith("error: --terraform-bin " + terraformDir.resolve("no-such-terraform")), run::toString);
        assertTrue(run.err().contains("https://developer.hashicorp.com/terraform/install"), run::toString);
        assertTrue(run.err().contains("OpenTofu"), run::toString);
        assertFalse(Files.exists(stateDir.resolve("profile.json")));
    }

    @Test
    void a_failed_address_lookup_should_ask_for_my_ip() {
        CliRun run = CliRun.of("up", "--cloud", "aiven", "--project", "p", "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString(),
                "--ip-lookup-url", "http://127.0.0.1:" + addressEcho.getAddress().getPort() + "/missing");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: cannot find this machine's public IPv4 address"), run::toString);
        assertTrue(run.err().contains("pass --my-ip"), run::toString);
        assertTrue(terraform.callsOf("apply").isEmpty(), "nothing applied without an address");
    }

    @Test
    void a_failed_apply_should_exit_1_and_write_no_profile(TestStack stack) throws Exception {
        terraform.answerOutputs(Map.of("clickstream_profile", profileOutput(stack, "aiven")), Map.of());
        terraform.failOn("apply");

        CliRun run = up("aiven", "--project", "p");

        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: `terraform apply` failed (exit 1); its output is above"), run::toString);
        assertTrue(run.out().contains("stand-in terraform was told to fail apply"), "terraform's error is shown:\n" + run);
        assertFalse(Files.exists(stateDir.resolve("profile.json")));
    }

    @Test
    void cloud_options_without_cloud_are_usage_errors() {
        CliRun up = CliRun.of("up", "--project", "p", "--state-dir", stateDir.toString());
        assertEquals(2, up.exitCode(), up::toString);
        assertTrue(up.err().startsWith("error: --project needs --cloud"), up::toString);
        CliRun down = CliRun.of("down", "--yes", "--state-dir", stateDir.toString());
        assertEquals(2, down.exitCode(), down::toString);
        CliRun unknown = CliRun.of("up", "--cloud", "gcp", "--state-dir", stateDir.toString());
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().contains("aiven, doublecloud"), unknown::toString);
    }

    // ---------------------------------------------------------------- helpers

    private CliRun up(String cloud, String... more) {
        List<String> args = new ArrayList<>(List.of("up", "--cloud", cloud, "--state-dir", stateDir.toString(),
                "--terraform-bin", terraform.binary().toString(), "--topic", topic,
                "--ip-lookup-url", echoUrl("/v4"), "--ipv6-lookup-url", echoUrl("/v6")));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private String echoUrl(String path) {
        return "http://127.0.0.1:" + addressEcho.getAddress().getPort() + path;
    }

    /** The clickstream_profile a module would output, pointing at the test's local stack (Kafka over SASL_SSL with its CA). */
    private ObjectNode profileOutput(TestStack stack, String target) throws Exception {
        ConnectionProfile local = stack.profile();
        ObjectNode value = JSON.createObjectNode();
        value.put("target", target);
        ObjectNode kafka = value.putObject("kafka_connection");
        kafka.put("connection_string", local.kafkaConnection().listeners().get("SASL_SSL"));
        kafka.put("user", local.kafkaConnection().user());
        kafka.put("password", local.kafkaConnection().password());
        kafka.put("security_protocol", "SASL_SSL");
        kafka.put("sasl_mechanism", "SCRAM-SHA-512");
        kafka.put("ca_cert", Files.readString(Path.of(local.kafkaConnection().caFile())));
        ObjectNode clickhouse = value.putObject("clickhouse_connection");
        clickhouse.put("host", local.clickhouseConnection().host());
        clickhouse.put("http_port", local.clickhouseConnection().httpPort());
        clickhouse.put("user", local.clickhouseConnection().user());
        clickhouse.put("password", local.clickhouseConnection().password());
        // A database of its own, so whatever runs after provisioning (the SQL apply) cannot meet other tests' tables.
        clickhouse.put("database", stack.newDatabase("cloud"));
        value.put("topic", topic);
        return value;
    }

    /** The output as a profile file holds it: the CA as a file name. */
    private static JsonNode withCaFile(ObjectNode output, TestStack stack) {
        ObjectNode copy = output.deepCopy();
        ((ObjectNode) copy.get("kafka_connection")).remove("ca_cert");
        ((ObjectNode) copy.get("kafka_connection")).put("ca_file", stack.profile().kafkaConnection().caFile());
        return copy;
    }

    private static int partitionsOf(TestStack stack, String topic) {
        KafkaEndpoint plain = stack.kafka("PLAINTEXT");
        try (Admin admin = KafkaPreflight.admin(plain, Duration.ofSeconds(15))) {
            Optional<TopicDescription> d = KafkaPreflight.describeTopic(admin, plain, topic, Duration.ofSeconds(15));
            assertTrue(d.isPresent(), "topic " + topic + " exists");
            return d.get().partitions().size();
        }
    }

    private static void assertNoPasswords(ConnectionProfile local, CliRun run) {
        for (String secret : List.of(local.kafkaConnection().password(), local.clickhouseConnection().password())) {
            assertFalse(run.out().contains(secret) || run.err().contains(secret), "a password was printed:\n" + run);
        }
    }
}
