package dev.clickstream.common.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonLoggerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2026-12-02T08:00:00.123Z");

    @Test
    void a_progress_line_carries_its_fields_as_keys_with_numbers_as_numbers() throws Exception {
        JsonNode line = JSON.readTree(JsonLogger.line(AT, Level.INFO, "transfer",
                "progress rows_per_s=51234 lag=0 ratio=0.25 instance=host-42 rows_total=1000000", null));
        assertEquals("2026-12-02T08:00:00.123Z", line.get("time").asText());
        assertEquals("INFO", line.get("level").asText());
        assertEquals("transfer", line.get("logger").asText());
        assertEquals("progress rows_per_s=51234 lag=0 ratio=0.25 instance=host-42 rows_total=1000000",
                line.get("message").asText());
        assertTrue(line.get("rows_per_s").isIntegralNumber());
        assertEquals(51234, line.get("rows_per_s").asLong());
        assertEquals(1_000_000, line.get("rows_total").asLong());
        assertEquals(0.25, line.get("ratio").asDouble());
        assertEquals("host-42", line.get("instance").textValue());
    }

    @Test
    void quotes_newlines_and_a_stack_trace_stay_inside_one_line() throws Exception {
        String text = JsonLogger.line(AT, Level.ERROR, "transfer", "bad \"value\"\nsecond line",
                new IllegalStateException("boom"));
        assertFalse(text.contains("\n"), text);
        JsonNode line = JSON.readTree(text);
        assertEquals("bad \"value\"\nsecond line", line.get("message").asText());
        assertTrue(line.get("exception").asText().startsWith("java.lang.IllegalStateException: boom"));
    }

    @Test
    void a_pair_cannot_overwrite_the_lines_own_keys_and_the_first_of_a_key_wins() throws Exception {
        JsonNode line = JSON.readTree(JsonLogger.line(AT, Level.WARN, "t", "level=debug lag=3 lag=4", null));
        assertEquals("WARN", line.get("level").asText());
        assertEquals(3, line.get("lag").asLong());
    }

    @Test
    void an_events_key_values_and_the_threads_mdc_are_fields_and_win_over_the_messages_pairs() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        org.slf4j.helpers.BasicMDCAdapter mdc = new org.slf4j.helpers.BasicMDCAdapter();
        JsonLogger log = new JsonLogger("transfer", Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                mdc);
        mdc.put("instance", "host-7");
        mdc.put("topic", "clickhouse-events");
        try {
            log.atInfo().addKeyValue("lag", 3L).addKeyValue("caught_up", true).addKeyValue("partition", 2)
                    .log("progress lag=9 rows_total={}", 1000);
            log.atDebug().addKeyValue("lag", 1L).log("below the level");
        } finally {
            mdc.clear();
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length, "one line, at INFO: " + bytes);
        JsonNode line = JSON.readTree(lines[0]);
        assertEquals("progress lag=9 rows_total=1000", line.get("message").asText());
        assertEquals(3, line.get("lag").asLong(), "the event's pair wins over the message's lag=9");
        assertTrue(line.get("caught_up").isBoolean());
        assertTrue(line.get("partition").isIntegralNumber());
        assertEquals(1000, line.get("rows_total").asLong());
        assertEquals("host-7", line.get("instance").asText());
        assertEquals("clickhouse-events", line.get("topic").asText());
    }

    @Test
    void a_plain_call_carries_the_threads_mdc() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        org.slf4j.helpers.BasicMDCAdapter mdc = new org.slf4j.helpers.BasicMDCAdapter();
        JsonLogger log = new JsonLogger("transfer", Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                mdc);
        mdc.put("partition", "4");
        log.info("assigned partitions [4] of {}", "t");
        mdc.clear();
        JsonNode line = JSON.readTree(bytes.toString(StandardCharsets.UTF_8).trim());
        assertEquals("4", line.get("partition").asText());
    }

    @Test
    void levels_follow_simplelogger_properties_by_the_longest_prefix() {
        Properties p = new Properties();
        p.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        p.setProperty("org.slf4j.simpleLogger.log.transfer", "info");
        p.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        p.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "off");
        LogLevels levels = LogLevels.of(p);
        assertEquals(Level.INFO, levels.levelOf("transfer"));
        assertEquals(Level.WARN, levels.levelOf("com.clickhouse.Client"));
        assertEquals(Level.ERROR, levels.levelOf("org.apache.kafka.clients.consumer.KafkaConsumer"));
        assertNull(levels.levelOf("org.apache.kafka.clients.NetworkClient"));
    }

    @Test
    void a_logger_writes_only_at_or_above_its_level() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonLogger logger = new JsonLogger("transfer", Level.INFO, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new org.slf4j.helpers.BasicMDCAdapter());
        logger.debug("hidden");
        logger.info("resumed partition={} at offset={}", 3, 1200);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length);
        JsonNode line = JSON.readTree(lines[0]);
        assertEquals("resumed partition=3 at offset=1200", line.get("message").asText());
        assertEquals(3, line.get("partition").asInt());
        assertEquals(1200, line.get("offset").asInt());
    }
}
