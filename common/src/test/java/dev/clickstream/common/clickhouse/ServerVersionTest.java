package dev.clickstream.common.clickhouse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerVersionTest {
    @Test
    void should_tell_an_old_debian_server_from_a_modern_one() {
        ServerVersion old = ServerVersion.parse("18.16.1");
        assertFalse(old.hasDateTime64());
        assertFalse(old.hasKafkaVirtualColumns());
        ServerVersion lts = ServerVersion.parse("25.8.4.13");
        assertTrue(lts.hasDateTime64() && lts.hasKafkaErrorStream() && lts.hasLowCardinality());
        assertEquals(25, lts.major());
        assertTrue(lts.compareTo(old) > 0);
        assertTrue(ServerVersion.parse("21.6.1").hasKafkaVirtualColumns());
        assertFalse(ServerVersion.parse("21.5.9").hasKafkaVirtualColumns());
    }

    @Test
    void batch_inserts_turn_asynchronous_inserts_off_where_the_server_has_them() {
        assertEquals("0", ClickHouse.insertSettings(ServerVersion.parse("26.7.2.1")).get("async_insert"));
        assertFalse(ClickHouse.insertSettings(ServerVersion.parse("18.16.1")).containsKey("async_insert"),
                "18.16 refuses a setting it does not know");
        assertEquals("0", ClickHouse.insertSettings(ServerVersion.parse("18.16.1")).get("input_format_allow_errors_num"));
    }

    @Test
    void should_refuse_text_without_a_version() {
        assertThrows(IllegalArgumentException.class, () -> ServerVersion.parse("ClickHouse"));
    }
}
