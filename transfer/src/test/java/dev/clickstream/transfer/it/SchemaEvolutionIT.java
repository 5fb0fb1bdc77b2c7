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
            assertEquals(501, ch.queryLong("SELECT count() FROM " + db + "." + table + " WHERE isNull(plan)"));
            assertEquals(500, ch.queryLong("SELECT count() FROM " + db + "." + table
                    + " WHERE _rest = '{\"ab-test\":true}'"), "a field that cannot be a column stays in _rest");
            assertEquals(1, ch.queryLong("SELECT count() FROM " + db + "." + table
                    + " WHERE isNull(seats) AND _rest = '{\"seats\":\"many\"}'"),
                    "a value that does not fit an evolved column is NULL there and kept in _rest");
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + "." + table + "_unparsed"));
            assertEquals(2, TransferFixtures.awaitMetric(transfer.httpPort(), "clickstream_transfer_schema_changes_total", 2));
        }
    }

    @Test
    void columns_already_in_the_table_are_taken_as_they_are_or_left_to_rest(TestStack stack) throws Exception {
        String topic = stack.newTopic("evolve-existing", 1);
        String db = stack.newDatabase("evolve_existing");
        String table = db + "." + topic.replace('-', '_');
        Path config = TransferFixtures.config(dir, stack, topic, db, "  schema_evolution: true\n", "");
        try (ClickHouse ch = stack.connectClickHouse()) {
            try (InProcessTransfer transfer = InProcessTransfer.start(stack, config, "evolve-1")) {
                TestKafka.produce(stack.kafka(), topic, withFields(0, 100, ",\"plan\":\"pro\""));
                assertEquals(100, awaitDelivered(ch, db, topic.replace('-', '_'), 100, Duration.ofSeconds(60)));
                // A person adds a column the transfer cannot fill while it runs; then the field shows up.
                ch.execute("ALTER TABLE " + table + " ADD COLUMN seats Float32");
                ch.execute("ALTER TABLE " + table + " ADD COLUMN tier String MATERIALIZED 'gold'");
                TestKafka.produce(stack.kafka(), topic, withFields(100, 200, ",\"plan\":\"pro\",\"seats\":3"));
                assertEquals(200, awaitDelivered(ch, db, topic.replace('-', '_'), 200, Duration.ofSeconds(60)));
            }
            // A restart takes plan back as the String column it is, and still cannot fill seats or tier.
            try (InProcessTransfer transfer = InProcessTransfer.start(stack, config, "evolve-2")) {
                TestKafka.produce(stack.kafka(), topic,
                        withFields(200, 300, ",\"plan\":\"pro\",\"seats\":3,\"tier\":\"basic\""));
                assertEquals(300, awaitDelivered(ch, db, topic.replace('-', '_'), 300, Duration.ofSeconds(60)));
            }
            assertEquals(300, ch.queryLong("SELECT count() FROM " + table + " WHERE plan = 'pro'"));
            assertEquals(0, ch.queryLong("SELECT count() FROM " + table + "_unparsed"));
            assertEquals(200, ch.queryLong("SELECT count() FROM " + table + " WHERE _rest LIKE '%\"seats\":3%'"));
            assertEquals(100, ch.queryLong("SELECT count() FROM " + table + " WHERE _rest LIKE '%\"tier\":\"basic\"%'"));
            assertEquals(0, ch.queryLong("SELECT count() FROM " + table + " WHERE seats IS NOT NULL AND seats != 0"));
        }
    }

    /** Events from..to-1 with extra JSON members appended to each object. */
    private static List<String> withFields(int from, int to, String members) {
        return TestEvents.jsonLines(from, to).stream().map(l -> l.substring(0, l.length() - 1) + members + "}").toList();
    }
}
