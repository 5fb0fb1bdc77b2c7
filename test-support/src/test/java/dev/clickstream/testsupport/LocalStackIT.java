package dev.clickstream.testsupport;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.common.profile.ConnectionProfile;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.StackState;
import dev.clickstream.stack.StackStatus;
import dev.clickstream.stack.process.Ports;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@WithLocalStack
class LocalStackIT {

    @Test
    void should_run_the_whole_lifecycle_and_keep_data_across_down_and_up(TestStack stack) throws Exception {
        LocalStack local = stack.stack();

        StackStatus status = local.status();
        assertTrue(status.healthy(), () -> "not healthy: " + status);
        assertEquals(Set.of("kafka", "clickhouse"), Set.copyOf(status.services().stream().map(StackStatus.Service::name).toList()));
        assertTrue(status.topics().containsKey(ConnectionProfile.DEFAULT_TOPIC), () -> "topics: " + status.topics());

        ConnectionProfile profile = stack.profile();
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(stack.profileFile()));
        for (String keystore : List.of("tls/ca.p12", "tls/broker.p12")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(stack.stateDir().resolve(keystore)), keystore + " holds a private key");
        }
        // The server's copies of its config hold the users' password hashes and the Kafka password.
        try (var files = Files.list(stack.stateDir().resolve("clickhouse/data/preprocessed_configs"))) {
            List<Path> preprocessed = files.toList();
            assertFalse(preprocessed.isEmpty(), "the server wrote no preprocessed config");
            for (Path f : preprocessed) {
                assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                        Files.getPosixFilePermissions(f), f + " holds passwords");
            }
        }
        assertEquals("SASL_PLAINTEXT", profile.kafkaConnection().securityProtocol());

        String topic = stack.newTopic("lifecycle", 3);
        KafkaEndpoint scram = stack.kafka();
        TestKafka.produce(scram, topic, List.of("hello through SCRAM"));
        assertEquals(List.of("hello through SCRAM"), TestKafka.consume(scram, topic, 1, Duration.ofSeconds(30)));

        String db = stack.newDatabase("lifecycle");
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + db + ".kept (id UInt64, name String) ENGINE = MergeTree ORDER BY id");
            ch.insertJsonEachRow(db + ".kept", new ByteArrayInputStream(
                    "{\"id\":18446744073709551615,\"name\":\"max\"}\n{\"id\":1,\"name\":\"one\"}\n"
                            .getBytes(StandardCharsets.UTF_8)), Map.of());
            List<JsonNode> rows = ch.query("SELECT id, name FROM " + db + ".kept ORDER BY id");
            assertEquals("1", rows.get(0).get("id").asText());
            assertEquals("18446744073709551615", rows.get(1).get("id").asText());
            assertEquals("max", rows.get(1).get("name").asText());
        }

        StackState before = local.readState().orElseThrow();
        StringWriter downOutput = new StringWriter();
        local.down(false, new PrintWriter(downOutput, true));
        assertFalse(ProcessHandle.of(before.kafkaPid()).map(ProcessHandle::isAlive).orElse(false), "broker still alive");
        assertFalse(ProcessHandle.of(before.clickhousePid()).map(ProcessHandle::isAlive).orElse(false),
                "clickhouse still alive");
        List<Integer> ports = new ArrayList<>(before.kafkaPorts().all());
        ports.addAll(before.clickhousePorts().all());
        for (int port : ports) {
            assertFalse(Ports.isListening(port), "something still listens on " + port);
        }
        assertFalse(local.status().anyRunning());

        local.up(LocalStack.UpOptions.defaults().withRandomPorts(), new PrintWriter(new StringWriter(), true));
        assertTrue(local.status().healthy());
        assertEquals(List.of("hello through SCRAM"),
                TestKafka.consume(stack.kafka(), topic, 1, Duration.ofSeconds(30)), "Kafka data lost");
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(2, ch.queryLong("SELECT count() FROM " + db + ".kept"), "ClickHouse data lost");
        }
        assertEquals(before.kafkaPassword(), local.readState().orElseThrow().kafkaPassword(), "password changed");
    }

    @Test
    void should_say_already_running_when_up_again(TestStack stack) {
        StringWriter out = new StringWriter();
        LocalStack.UpOutcome outcome = stack.stack().up(LocalStack.UpOptions.defaults().withRandomPorts(),
                new PrintWriter(out, true));
        assertEquals(LocalStack.UpOutcome.ALREADY_RUNNING, outcome);
        assertTrue(out.toString().contains("already running"), out::toString);
    }

    @Test
    void should_refuse_a_wrong_kafka_password_with_one_clear_line(TestStack stack) {
        KafkaEndpoint wrong = stack.kafka().withCredentials("admin", "not-the-password");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> KafkaPreflight.check(wrong, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("refused the credentials of user 'admin'"), e::getMessage);
        assertFalse(e.getMessage().contains("not-the-password"), "the password leaked into the message");
    }

    @Test
    void should_refuse_a_wrong_clickhouse_password_with_one_clear_line(TestStack stack) {
        try (ClickHouse ch = ClickHouse.connect(stack.clickhouse().withCredentials("admin", "not-the-password"))) {
            UserFacingException e = assertThrows(UserFacingException.class, ch::version);
            assertTrue(e.getMessage().contains("refused the credentials of user 'admin'"), e::getMessage);
            assertFalse(e.getMessage().contains("\n"), "not one line: " + e.getMessage());
        }
    }

    @Test
    void should_serve_sasl_ssl_with_the_generated_ca(TestStack stack) throws Exception {
        KafkaEndpoint tls = stack.kafka("SASL_SSL");
        assertTrue(tls.caFile() != null && Files.isRegularFile(java.nio.file.Path.of(tls.caFile())));
        String topic = stack.newTopic("tls", 1);
        TestKafka.produce(tls, topic, List.of("over TLS"));
        assertEquals(List.of("over TLS"), TestKafka.consume(tls, topic, 1, Duration.ofSeconds(30)));

        KafkaEndpoint noCa = new KafkaEndpoint(tls.bootstrapServers(), "SASL_SSL", tls.saslMechanism(), tls.user(),
                tls.password(), null);
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> KafkaPreflight.check(noCa, Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("TLS handshake"), e::getMessage);
    }
}
