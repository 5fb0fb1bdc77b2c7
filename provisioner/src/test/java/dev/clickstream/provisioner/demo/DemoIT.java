package dev.clickstream.provisioner.demo;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.stack.Companions;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's main job: `clickstream demo`, on both delivery paths, against the real stack. */
@WithLocalStack
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoIT {

    @Test
    @Order(1)
    void the_engine_demo_delivers_every_event_and_prints_analytics(TestStack stack) {
        CliRun run = CliRun.of("demo", "--events", "3000", "--seed", "7", "--dashboard-port", "0", "--state-dir",
                stack.stateDir().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("is already running"), "the test's stack is reused: " + run);
        assertTrue(run.out().contains("-- CREATE TABLE IF NOT EXISTS clickstream.events_queue"), run::toString);
        assertTrue(run.out().contains("delivered to clickstream.events: 3,000 of 3,000"), run::toString);
        assertTrue(run.out().contains("3,000 events are in clickstream.events"), run::toString);
        assertTrue(run.out().matches("(?s).*Events by type:\\n  page_view .*purchase.*"), run::toString);
        assertTrue(run.out().contains("Next:"), run::toString);
        assertTrue(run.out().matches("(?s).*\\nDashboard: http://127\\.0\\.0\\.1:\\d+/ .*"), run::toString);
        assertTrue(new Companions(stack.stateDir()).running("dashboard").isPresent(), "the dashboard keeps running");
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertTrue(ch.queryLong("SELECT count() FROM clickstream.events") >= 3000);
        }
    }

    @Test
    @Order(2)
    void the_transfer_demo_leaves_the_transfer_running_until_down(TestStack stack) {
        CliRun run = CliRun.of("demo", "--delivery", "transfer", "--events", "2000", "--transfer-port", "0",
                "--no-dashboard", "--state-dir", stack.stateDir().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("transfer ready: http://127.0.0.1:"), run::toString);
        assertTrue(run.out().contains("delivered to default.clickhouse_events: 2,000 of 2,000"), run::toString);
        try (ClickHouse ch = stack.connectClickHouse()) {
            long rows = ch.queryLong("SELECT count() FROM default.clickhouse_events");
            assertEquals(rows, ch.queryLong("SELECT uniqExact(_partition, _offset, _line) FROM default.clickhouse_events"));
            assertTrue(rows >= 5000, "the transfer delivers the whole topic, the engine demo's events too: " + rows);
        }
        assertTrue(new Companions(stack.stateDir()).running("transfer").isPresent(), "the transfer should keep running");

        CliRun again = CliRun.of("demo", "--delivery", "transfer", "--events", "500", "--transfer-port", "0",
                "--no-dashboard", "--state-dir", stack.stateDir().toString());
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("the transfer is already running"), again::toString);
    }

    @Test
    @Order(3)
    void a_bad_flag_is_a_usage_error() {
        CliRun run = CliRun.of("demo", "--delivery", "carrier-pigeon");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("engine, transfer"), run::toString);
    }
}
