package dev.clickstream.testsupport.chdb;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@WithChdb
class ChdbSessionIT {
    private static ChdbSession chdb;

    @BeforeAll
    static void open(ChdbSession session) {
        chdb = session;
    }

    @Test
    void should_be_a_modern_clickhouse() {
        assertTrue(chdb.version().atLeast(26, 1), "version " + chdb.version());
    }

    @Test
    void should_insert_from_a_file_and_read_back() {
        chdb.execute("CREATE TABLE default.smoke (id UInt64, s String) ENGINE = MergeTree ORDER BY id");
        chdb.insertFile("default.smoke", List.of("s", "id"), new ByteArrayInputStream(
                "{\"s\":\"ä\",\"id\":18446744073709551615}\n".getBytes(StandardCharsets.UTF_8)), "JSONEachRow", Map.of());
        assertEquals(List.of("18446744073709551615\tä"), chdb.lines("SELECT id, s FROM default.smoke"));
        assertEquals("18446744073709551615", chdb.query("SELECT id FROM default.smoke",
                Map.of("output_format_json_quote_64bit_integers", "0")).get(0).get("id").toString());
    }

    @Test
    void should_say_what_clickhouse_refused() {
        UserFacingException e = assertThrows(UserFacingException.class, () -> chdb.execute("SELECT nosuchfunction(1)"));
        assertTrue(e.getMessage().contains("nosuchfunction"), e.getMessage());
    }

    @Test
    void should_own_its_folder() {
        Path dir = chdb.dir();
        assertTrue(Files.isDirectory(dir));
        assertFalse(dir.toString().isBlank());
    }
}
