package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static dev.clickstream.transfer.it.TransferFixtures.awaitMetric;
import static dev.clickstream.transfer.it.TransferFixtures.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Valid events, 1% malformed lines, packed messages, missing required fields, unknown fields, empty
 * messages: every line lands once, in the target table or in the unparsed one.
 */
@WithLocalStack
class MixedStreamIT {
    @TempDir
    Path dir;

    /** The stream and what it must become. */
    record Stream(List<String> messages, int goodLines, int badLines) {
    }

    static Stream mixedStream(int events) {
        Random random = new Random(7);
        List<String> messages = new ArrayList<>();
        int good = 0;
        int bad = 0;
        List<String> lines = TestEvents.jsonLines(0, events);
        int i = 0;
        while (i < lines.size()) {
            int kind = random.nextInt(100);
            if (kind < 60) {
                messages.add(lines.get(i++));
                good++;
            } else if (kind < 80) {
                int n = Math.min(1 + random.nextInt(9), lines.size() - i);
                messages.add(String.join("\n", lines.subList(i, i + n)) + "\n");
                i += n;
                good += n;
            } else if (kind < 90) {
                String unknown = lines.get(i++).replace("}", ",\"campaign\":\"winter\",\"ab\":{\"variant\":2}}");
                messages.add(unknown);
                good++;
            } else if (kind < 91) {
                messages.add("{\"user_ts\": \"2026-11-25T10:00:00Z\", \"id\": " + i + ", broken");
                bad++;
            } else if (kind < 92) {
                messages.add(lines.get(i++).replaceFirst("\"user_ts\":\"[^\"]*\",", ""));
                bad++;
            } else if (kind < 93) {
                messages.add(lines.get(i++) + "\nnot json at all\n" + lines.get(i++));
                good += 2;
                bad++;
            } else if (kind < 94) {
                messages.add(kind % 2 == 0 ? "" : "\n\n");
            } else {
                messages.add(lines.get(i++).replaceFirst("\"id\":\\d+", "\"id\":-1"));
                bad++;
            }
        }
        Collections.shuffle(messages, random);
        return new Stream(messages, good, bad);
    }

    @Test
    void every_line_lands_once_in_the_target_or_the_unparsed_table(TestStack stack) throws Exception {
        String topic = stack.newTopic("mixed", 3);
        String db = stack.newDatabase("mixed");
        Stream stream = mixedStream(20_000);
        TestKafka.produce(stack.kafka(), topic, stream.messages());
        int lines = stream.goodLines() + stream.badLines();

        try (InProcessTransfer transfer = InProcessTransfer.start(stack,
                TransferFixtures.config(dir, stack, topic, db, "", ""), "mixed");
             ClickHouse ch = stack.connectClickHouse()) {
            String table = topic.replace('-', '_');
            assertEquals(lines, awaitDelivered(ch, db, table, lines, Duration.ofSeconds(90)));
            assertEquals(stream.goodLines(), count(ch, db + "." + table));
            assertEquals(stream.badLines(), count(ch, db + "." + table + "_unparsed"));
            assertEquals(lines, distinctKeys(ch, db, table), "a line landed twice");
            assertEquals(stream.goodLines(), ch.queryLong("SELECT uniqExact(id) FROM " + db + "." + table));

            long withCampaign = ch.queryLong("SELECT count() FROM " + db + "." + table
                    + " WHERE _rest = '{\"campaign\":\"winter\",\"ab\":{\"variant\":2}}'");
            assertTrue(withCampaign > 0, "unknown fields are not in _rest");
            assertEquals(stream.goodLines() - withCampaign,
                    ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE _rest = '{}'"));

            List<JsonNode> reasons = ch.query("SELECT reason, count() AS n FROM " + db + "." + table
                    + "_unparsed GROUP BY reason ORDER BY reason");
            String all = reasons.toString();
            assertTrue(all.contains("required field 'user_ts' is missing"), all);
            assertTrue(all.contains("field 'id': '-1' is not a uint64"), all);
            assertTrue(all.contains("malformed JSON"), all);
            String raws = ch.queryText("SELECT raw FROM " + db + "." + table + "_unparsed WHERE reason LIKE 'malformed%'");
            assertTrue(raws.contains(", broken") && raws.contains("not json at all"), "raw lines are not kept: " + raws);

            for (JsonNode r : ch.query("SELECT event_id, toString(id) AS id, toUnixTimestamp(user_ts) AS ts, price,"
                    + " event_type FROM " + db + "." + table + " ORDER BY _offset LIMIT 20")) {
                int n = Integer.parseInt(r.get("event_id").asText().substring("event-".length()));
                assertEquals(TestEvents.unsignedId(n), r.get("id").asText(), "id of event " + n);
                assertEquals(java.time.Instant.parse("2026-11-25T10:00:00Z").getEpochSecond() + n, r.get("ts").asLong());
                assertEquals(TestEvents.event(n).eventType(), r.get("event_type").asText());
                if (TestEvents.event(n).price() != null) {
                    assertEquals(TestEvents.event(n).price(), r.get("price").asDouble());
                }
            }

            assertEquals(0, metric(transfer.httpPort(), "clickstream_transfer_skipped_messages_total"));
            assertEquals(stream.goodLines(), awaitMetric(transfer.httpPort(), "clickstream_transfer_rows_total",
                    stream.goodLines()));
            assertEquals(stream.badLines(), awaitMetric(transfer.httpPort(), "clickstream_transfer_unparsed_rows_total",
                    stream.badLines()));
            assertEquals(stream.messages().size(), awaitMetric(transfer.httpPort(),
                    "clickstream_transfer_messages_total", stream.messages().size()));
        }
    }

    @Test
    void json_each_row_batches_land_the_same_way(TestStack stack) throws Exception {
        String topic = stack.newTopic("mixed-json", 2);
        String db = stack.newDatabase("mixed_json");
        Stream stream = mixedStream(2_000);
        TestKafka.produce(stack.kafka(), topic, stream.messages());
        int lines = stream.goodLines() + stream.badLines();
        String table = topic.replace('-', '_');
        try (InProcessTransfer transfer = InProcessTransfer.start(stack, TransferFixtures.config(dir, stack, topic, db,
                "", "  max_rows: 700\n  format: JSONEachRow\n"), "json");
             ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(lines, awaitDelivered(ch, db, table, lines, Duration.ofSeconds(60)));
            assertEquals(lines, distinctKeys(ch, db, table));
            assertEquals(stream.badLines(), count(ch, db + "." + table + "_unparsed"));
            assertEquals(TestEvents.unsignedId(5), ch.queryText("SELECT toString(id) FROM " + db + "." + table
                    + " WHERE event_id = 'event-5'").strip());
            assertTrue(awaitMetric(transfer.httpPort(), "clickstream_transfer_batches_total", 2) >= 2);
        }
    }
}
