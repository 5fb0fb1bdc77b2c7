package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code transfer.jar --log-format json}: every line it writes is one JSON object, progress fields as keys. */
@WithLocalStack
class JsonLogIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void the_transfer_logs_one_json_object_per_line_with_the_progress_fields_as_keys(TestStack stack) throws Exception {
        String topic = stack.newTopic("jsonlog", 2);
        String db = stack.newDatabase("jsonlog");
        List<String> messages = new ArrayList<>(TestEvents.jsonLines(0, 2000));
        messages.add("{broken");
        TestKafka.produce(stack.kafka(), topic, messages);
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "");
        TransferProcess transfer = TransferProcess.start(config, "jsonlog", dir, List.of("--log-format", "json"));
        int exitCode;
        try (ClickHouse ch = stack.connectClickHouse()) {
            transfer.awaitDelivering(Duration.ofSeconds(60));
            assertEquals(2001, awaitDelivered(ch, db, topic.replace('-', '_'), 2001, Duration.ofSeconds(60)));
            Optional<JsonNode> progress = Deadline.in(Duration.ofSeconds(30)).poll(Duration.ofMillis(250),
                    () -> objects(transfer.log()).stream().filter(o -> o.path("message").asText().startsWith("progress"))
                            .findFirst());
            assertTrue(progress.isPresent(), "no progress line in\n" + transfer.log());
            JsonNode p = progress.get();
            assertEquals("INFO", p.get("level").asText());
            assertTrue(p.get("rows_total").isIntegralNumber(), p.toString());
            assertTrue(p.get("rows_per_s").isIntegralNumber(), p.toString());
            assertTrue(p.has("lag") && p.has("unparsed_total") && p.has("time") && p.has("logger"), p.toString());
            assertEquals(topic, p.path("topic").asText(), "the loop's MDC names the topic: " + p);
            assertFalse(p.path("instance").asText().isBlank(), "and the instance: " + p);
        } finally {
            exitCode = transfer.terminate();
        }
        String log = transfer.log();
        assertEquals(0, exitCode, log);
        List<String> notJson = new ArrayList<>();
        for (String line : log.lines().toList()) {
            try {
                if (!JSON.readTree(line).isObject()) {
                    notJson.add(line);
                }
            } catch (Exception e) {
                notJson.add(line);
            }
        }
        assertEquals(List.of(), notJson, "lines that are not JSON objects");
        assertTrue(objects(log).size() >= 3, log);
    }

    private static List<JsonNode> objects(String log) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : log.lines().toList()) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n.isObject()) {
                    out.add(n);
                }
            } catch (Exception e) {
                // a line being written, or not JSON: the final check names it
            }
        }
        return out;
    }
}
