package dev.clickstream.common.profile;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileStoreTest {
    @TempDir
    Path dir;

    static ConnectionProfile sample() {
        return new ConnectionProfile("local",
                new KafkaConnection("127.0.0.1:9094", "admin", "s3cret", "SASL_PLAINTEXT", "SCRAM-SHA-512", null,
                        Map.of("PLAINTEXT", "127.0.0.1:9092")),
                new ClickHouseConnection("127.0.0.1", null, null, 8123, 9000, "admin", "pw", "default", null, null),
                "clickhouse-events");
    }

    @Test
    void should_write_the_profile_readable_by_its_owner_only_and_read_it_back() throws Exception {
        Path file = dir.resolve("profile.json");
        ProfileStore.save(sample(), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(sample(), ProfileStore.load(file));
    }

    @Test
    void should_use_the_demo_terraform_output_names() throws Exception {
        Path file = dir.resolve("profile.json");
        ProfileStore.save(sample(), file);
        String json = Files.readString(file);
        for (String key : new String[] {"\"kafka_connection\"", "\"connection_string\"", "\"clickhouse_connection\"",
                "\"http_port\"", "\"security_protocol\""}) {
            assertTrue(json.contains(key), key + " missing in " + json);
        }
    }

    @Test
    void should_name_the_command_that_writes_a_missing_profile() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> ProfileStore.load(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("./clickstream up"), e.getMessage());
    }

    @Test
    void should_name_the_path_of_a_wrong_field() throws Exception {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, """
                {"kafka_connection": {"connection_string": "", "security_protocol": "SASL_SSL", "user": "u"},
                 "clickhouse_connection": {"host": "h", "https_port": 8443, "user": "admin"}}
                """);
        UserFacingException e = assertThrows(UserFacingException.class, () -> ProfileStore.load(file));
        assertTrue(e.getMessage().contains("kafka_connection.connection_string: missing"), e.getMessage());
        assertTrue(e.getMessage().contains("kafka_connection.password: missing"), e.getMessage());
    }

    @Test
    void should_reject_broken_json_with_one_line() throws Exception {
        Path file = dir.resolve("profile.json");
        Files.writeString(file, "{not json");
        UserFacingException e = assertThrows(UserFacingException.class, () -> ProfileStore.load(file));
        assertTrue(e.getMessage().startsWith("connection profile " + file + " is not valid JSON"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void should_mask_secrets() {
        assertEquals("(none)", Secrets.mask(null));
        String masked = Secrets.mask("abcdefghijklmnopqrstuvwx");
        assertTrue(masked.startsWith("ab") && !masked.contains("cdef"), masked);
        assertTrue(Secrets.generatePassword(24).matches("[A-Za-z0-9]{24}"));
    }
}
