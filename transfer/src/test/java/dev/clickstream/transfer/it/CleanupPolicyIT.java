package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cleanup policy acts when a topic is delivered into a table for the first time, and never on a
 * restart: a table holding another topic's rows is dropped, truncated or kept.
 */
@WithLocalStack
class CleanupPolicyIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"DISABLED, 300", "DROP, 200", "TRUNCATE, 200"})
    void the_policy_applies_to_a_first_activation_only(String policy, long rowsAfterSecondTopic, TestStack stack)
            throws Exception {
        String db = stack.newDatabase("cleanup_" + policy.toLowerCase());
        String first = stack.newTopic("first", 1);
        String second = stack.newTopic("second", 1);
        TestKafka.produce(stack.kafka(), first, TestEvents.jsonLines(0, 100));
        TestKafka.produce(stack.kafka(), second, TestEvents.jsonLines(100, 300));
        String target = "  table: shared\n  cleanup_policy: " + policy + "\n";
        try (ClickHouse ch = stack.connectClickHouse()) {
            Path firstConfig = TransferFixtures.config(dir, stack, first, db, target, "");
            try (InProcessTransfer t = InProcessTransfer.start(stack, firstConfig, "first")) {
                assertEquals(100, awaitDelivered(ch, db, "shared", 100, Duration.ofSeconds(60)));
            }
            Path secondConfig = TransferFixtures.config(dir, stack, second, db, target, "");
            try (InProcessTransfer t = InProcessTransfer.start(stack, secondConfig, "second")) {
                assertEquals(rowsAfterSecondTopic,
                        awaitDelivered(ch, db, "shared", rowsAfterSecondTopic, Duration.ofSeconds(60)));
            }
            // a restart of the second topic resumes; it does not clean up again
            TestKafka.produce(stack.kafka(), second, TestEvents.jsonLines(300, 310));
            try (InProcessTransfer t = InProcessTransfer.start(stack, secondConfig, "second-again")) {
                assertEquals(rowsAfterSecondTopic + 10,
                        awaitDelivered(ch, db, "shared", rowsAfterSecondTopic + 10, Duration.ofSeconds(60)));
            }
            assertEquals(rowsAfterSecondTopic + 10, count(ch, db + ".shared"));
        }
    }
}
