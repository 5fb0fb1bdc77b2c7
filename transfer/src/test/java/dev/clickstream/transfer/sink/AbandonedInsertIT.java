package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An INSERT whose client dies in the middle of its body lands nothing: its body is one sealed block, which the
 * server refuses unless it arrives whole. (A plain body would not be safe: 18.16 takes a chunked body that ends
 * with the connection, without its last chunk, as complete, and landed 479,232 of 500,000 values sent.) A
 * transfer killed mid-batch relies on it.
 */
@WithLocalStack
class AbandonedInsertIT {

    @Test
    void an_insert_whose_process_is_killed_mid_body_lands_no_row(TestStack stack) throws Exception {
        String db = stack.newDatabase("abandoned");
        String queryId = db + "-endless";
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + db + ".t (x UInt64) ENGINE = MergeTree() ORDER BY x");
            ClickHouseEndpoint e = ch.endpoint();
            Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), EndlessInsert.class.getName(), e.url(), e.user(),
                    e.password(), db + ".t", queryId)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                // the server has half the body and waits for the rest when the client dies
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(50), () -> ch.queryLong(
                        "SELECT count() FROM system.processes WHERE query_id = " + ClickHouse.quote(queryId)
                                + " AND elapsed > 1") == 1), "the INSERT never ran for a second");
            } finally {
                p.destroyForcibly();
                p.waitFor();
            }
            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(50), () -> ch.queryLong(
                    "SELECT count() FROM system.processes WHERE query_id = " + ClickHouse.quote(queryId)) == 0),
                    "the server still runs the INSERT");
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".t"), "rows of an abandoned INSERT landed");
        }
    }
}
