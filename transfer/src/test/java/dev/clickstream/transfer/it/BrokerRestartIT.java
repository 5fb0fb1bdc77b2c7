package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The broker stops while the transfer is draining a backlog, and starts again: exactly once. */
@WithLocalStack
class BrokerRestartIT {
    @TempDir
    Path dir;

    @Test
    void a_broker_restart_mid_stream_loses_and_doubles_nothing(TestStack stack) throws Exception {
        String topic = stack.newTopic("restart", 3);
        String db = stack.newDatabase("restart");
        String table = topic.replace('-', '_');
        TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(0, 60_000));
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 1000\n  max_delay: 100ms\n");
        try (InProcessTransfer transfer = InProcessTransfer.start(stack, config, "restart");
             ClickHouse ch = stack.connectClickHouse()) {
            assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(20),
                    () -> count(ch, db + "." + table) >= 5_000));
            stack.stack().stopKafka();
            long duringOutage = count(ch, db + "." + table);
            stack.stack().up(LocalStack.UpOptions.defaults().withRandomPorts(), new PrintWriter(new StringWriter(), true));
            TestKafka.produce(stack.kafka(), topic, TestEvents.jsonLines(60_000, 80_000));

            assertEquals(80_000, awaitDelivered(ch, db, table, 80_000, Duration.ofSeconds(120)));
            assertTrue(duringOutage < 60_000, "the broker stopped after the backlog was drained; nothing was tested");
            assertEquals(80_000, distinctKeys(ch, db, table), "a line landed twice");
            assertEquals(80_000, ch.queryLong("SELECT uniqExact(id) FROM " + db + "." + table));
        }
    }
}
