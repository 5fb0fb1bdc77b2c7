package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
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
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With schema_evolution on, a new top-level field becomes a Nullable column; no batch fails, no line is lost. */
@WithLocalStack
class SchemaEvolutionIT {
    @TempDir
    Path dir;

    @Test
    void new_fields_become_columns_and_older_rows_read_null(TestStack stack) throws Exception {
        String topic = stack.newTopic("evolve", 1);
        String db = stack.newDatabase("evolve");
        String table = topic.replace('-', '_');
        List<String> messages = new ArrayList<>(TestEvents.jsonLines(0, 500));
        for (String line : TestEvents.jsonLines(500, 1000)) {
            messages.add(line.replace("}", ",\"plan\":\"pro\",\"seats\":3,\"ab-test\":true}"));
        }
        messages.add(TestEvents.jsonLines(1000, 1001).get(0).replace("}", ",\"seats\":\"many\"}"));
        TestKafka.produce(stack.kafka(), topic, messages);
        try (InProcessTransfer transfer = InProcessTransfer.start(stack, TransferFixtures.config(dir, stack, topic, db,
                "  schema_evolution: true\n", ""), "evolve");
             ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(1001, awaitDelivered(ch, db, table, 1001, Duration.ofSeconds(60)));
            assertEquals(1001, distinctKeys(ch, db, table));
            String columns = ch.queryText("SELECT name, type FROM system.columns WHERE database = '" + db
                    + "' AND table = '" + table + "' AND name IN ('plan', 'seats')");
            assertTrue(columns.contains("plan\tNullable(String)") && columns.contains("seats\tNullable(Int64)"), columns);
            assertEquals(500, ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE plan = 'pro' AND seats = 3"));
            assertEquals(500, ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE isNull(plan)"));
            assertEquals(500, ch.queryLong("SELECT count() FROM " + db + "." + table
                    + " WHERE _rest = '{\"ab-test\":true}'"), "a field that cannot be a column stays in _rest");
            assertEquals(1, ch.queryLong("SELECT count() FROM " + db + "." + table + "_unparsed WHERE reason = "
                    + "'field ''seats'': ''many'' is not an int64'"));
            assertEquals(2, TransferFixtures.awaitMetric(transfer.httpPort(), "clickstream_transfer_schema_changes_total", 2));
        }
    }
}
