package dev.clickstream.common.log;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogFormatTest {
    @Test
    void text_unless_the_flag_or_the_environment_say_json() {
        assertEquals(LogFormat.TEXT, LogFormat.of(new String[] {"--config", "t.yaml"}, null));
        assertEquals(LogFormat.JSON, LogFormat.of(new String[] {"--config", "t.yaml"}, "json"));
        assertEquals(LogFormat.JSON, LogFormat.of(new String[] {"--log-format", "json"}, null));
        assertEquals(LogFormat.JSON, LogFormat.of(new String[] {"transfer", "--log-format=JSON"}, null));
    }

    @Test
    void the_flag_wins_over_the_environment() {
        assertEquals(LogFormat.TEXT, LogFormat.of(new String[] {"--log-format", "text"}, "json"));
        assertEquals(LogFormat.JSON, LogFormat.of(new String[] {"--log-format=json"}, "text"));
    }

    @Test
    void a_flag_without_its_value_is_left_to_picocli() {
        assertEquals(LogFormat.TEXT, LogFormat.of(new String[] {"--log-format"}, null));
    }
}
