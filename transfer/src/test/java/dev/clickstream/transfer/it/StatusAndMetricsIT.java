package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.JsonNode;
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

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.get;
import static dev.clickstream.transfer.it.TransferFixtures.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /healthz, /status and /metrics tell an operator what the transfer is doing. */
@WithLocalStack
class StatusAndMetricsIT {
    @TempDir
    Path dir;

    @Test
    void the_endpoints_show_partitions_lag_totals_and_every_metric(TestStack stack) throws Exception {
        String topic = stack.newTopic("status", 2);
        String db = stack.newDatabase("status");
        List<String> messages = new ArrayList<>(TestEvents.jsonLines(0, 1000));
        messages.add("{broken");
        TestKafka.produce(stack.kafka(), topic, messages);
        try (InProcessTransfer transfer = InProcessTransfer.start(stack,
                TransferFixtures.config(dir, stack, topic, db, "", ""), "status");
             ClickHouse ch = stack.connectClickHouse()) {
            int port = transfer.httpPort();
            assertEquals(1001, awaitDelivered(ch, db, topic.replace('-', '_'), 1001, Duration.ofSeconds(60)));
            assertTrue(Deadline.in(Duration.ofSeconds(10)).until(Duration.ofMillis(100),
                    () -> status(port).get("assignment").size() == 2 && status(port).get("lag").asLong() == 0));

            assertEquals(200, get(port, "/healthz").statusCode());
            assertEquals("ok\n", get(port, "/healthz").body());

            JsonNode status = status(port);
            assertEquals("status", status.get("instance").asText());
            assertEquals(topic, status.get("topic").asText());
            assertEquals(1000, status.get("totals").get("rows").asLong());
            assertEquals(1, status.get("totals").get("unparsed_rows").asLong());
            assertEquals(0, status.get("totals").get("skipped_messages").asLong());
            long delivered = 0;
            for (JsonNode p : status.get("assignment")) {
                assertEquals(p.get("end_offset").asLong(), p.get("delivered_offset").asLong());
                delivered += p.get("delivered_offset").asLong();
            }
            assertEquals(1001, delivered);

            String metrics = get(port, "/metrics").body();
            for (String name : List.of("clickstream_transfer_rows_total 1000.0", "clickstream_transfer_unparsed_rows_total 1.0",
                    "clickstream_transfer_skipped_messages_total 0.0", "clickstream_transfer_messages_total 1001.0",
                    "clickstream_transfer_consumer_lag_messages{partition=\"0\"} 0.0",
                    "clickstream_transfer_consumer_lag_messages{partition=\"1\"} 0.0",
                    "clickstream_transfer_insert_duration_seconds_count", "clickstream_transfer_retries_total 0.0",
                    "clickstream_transfer_delivery_delay_seconds_bucket", "clickstream_transfer_bytes_total",
                    "clickstream_transfer_last_delivery_timestamp_seconds",
                    "clickstream_transfer_dropped_values_total 0.0",
                    // the JVM's and the process's own, as JVM dashboards expect them
                    "jvm_memory_used_bytes{area=\"heap\"}", "jvm_gc_collection_seconds_count", "jvm_threads_current",
                    "process_cpu_seconds_total", "process_open_fds")) {
                assertTrue(metrics.contains(name), name + " missing in\n" + metrics);
            }
        }
    }
}
