package dev.clickstream.common.cli;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ProfileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaOptionsTest {
    @TempDir
    Path dir;

    @Command(name = "t")
    static class Tool {
        @Mixin
        KafkaOptions kafka;
        @Mixin
        StateOptions state;
    }

    private Tool parse(String... args) {
        Tool t = new Tool();
        new CommandLine(t).parseArgs(args);
        return t;
    }

    @Test
    void should_accept_the_demo_single_dash_flags_as_scram_over_tls() {
        KafkaEndpoint e = parse("-broker=rw.example:9091", "-user=admin", "-password=pw").kafka.resolve(null);
        assertEquals("rw.example:9091", e.bootstrapServers());
        assertEquals("SASL_SSL", e.securityProtocol());
        assertEquals("admin", e.user());
        assertEquals("pw", e.password());
    }

    @Test
    void should_accept_the_names_kafka_tools_use() {
        KafkaEndpoint e = parse("--bootstrap-server", "h:9092").kafka.resolve(null);
        assertEquals("PLAINTEXT", e.securityProtocol());
    }

    @Test
    void should_read_the_profile_and_pick_another_listener_of_a_local_stack() {
        Path file = dir.resolve("profile.json");
        ProfileStore.save(new dev.clickstream.common.profile.ConnectionProfile("local",
                new dev.clickstream.common.profile.KafkaConnection("127.0.0.1:9094", "admin", "pw", "SASL_PLAINTEXT",
                        "SCRAM-SHA-512", null, Map.of("PLAINTEXT", "127.0.0.1:9092", "SASL_PLAINTEXT", "127.0.0.1:9094")),
                new dev.clickstream.common.profile.ClickHouseConnection("127.0.0.1", null, null, 8123, 9000, "admin", "x",
                        null, null, null), null), file);
        Tool t = parse("--profile", file.toString());
        assertEquals("127.0.0.1:9094", t.kafka.resolve(t.state).bootstrapServers());
        Tool plain = parse("--profile", file.toString(), "--security-protocol", "PLAINTEXT");
        assertEquals("127.0.0.1:9092", plain.kafka.resolve(plain.state).bootstrapServers());
        Tool tls = parse("--profile", file.toString(), "--security-protocol", "SASL_SSL");
        UserFacingException e = assertThrows(UserFacingException.class, () -> tls.kafka.resolve(tls.state));
        assertTrue(e.getMessage().contains("no SASL_SSL listener"), e.getMessage());
        assertEquals(ExitCodes.USAGE, e.exitCode());
    }

    @Test
    void should_reject_an_unknown_security_protocol_as_a_usage_error() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> parse("-broker=h:1", "--security-protocol", "SASL_TLS").kafka.resolve(null));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("SASL_TLS"), e.getMessage());
    }

    @Test
    void should_ask_for_a_password_when_sasl_has_none() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> parse("-broker=h:1", "-user=admin").kafka.resolve(null));
        assertTrue(e.getMessage().contains("needs a password"), e.getMessage());
    }
}
