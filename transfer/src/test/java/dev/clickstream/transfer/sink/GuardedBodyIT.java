package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An INSERT whose body fails its guard lands nothing on a real server: not when the guard fails halfway through
 * the body, and not when it fails at the body's very end, after every row was sent (the last check before the
 * request completes). A body whose guard passes lands whole.
 */
@WithLocalStack
class GuardedBodyIT {
    private static final int ROWS = 200_000;

    @Test
    void a_body_that_fails_its_guard_anywhere_lands_nothing_and_one_that_passes_lands_whole(TestStack stack) {
        String db = stack.newDatabase("guarded");
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + db + ".t (x UInt64, s String) ENGINE = MergeTree() ORDER BY x");
            AtomicInteger reads = new AtomicInteger();
            GuardedBody.Guard halfway = () -> {
                if (reads.incrementAndGet() > 3) {
                    throw new IOException("stood still");
                }
            };
            assertThrows(RuntimeException.class, () -> ch.insert(db + ".t", List.of("x", "s"),
                    new GuardedBody(body(), halfway), "RowBinary", db + "-halfway"));
            awaitGone(ch, db + "-halfway");
            ByteArrayInputStream atEnd = body();
            GuardedBody.Guard onlyAtTheEnd = () -> {
                if (atEnd.available() == 0) {
                    throw new IOException("stood still");
                }
            };
            assertThrows(RuntimeException.class, () -> ch.insert(db + ".t", List.of("x", "s"),
                    new GuardedBody(atEnd, onlyAtTheEnd), "RowBinary", db + "-at-end"));
            // The client gives up at once; the server may still be reading what was sent (18.16 took a body that
            // ended with the connection, without the last chunk, as complete), so the count is read once it is done.
            awaitGone(ch, db + "-at-end");
            assertEquals(0, atEnd.available(), "every row of the second body was read before its guard failed");
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".t"));

            ch.insert(db + ".t", List.of("x", "s"), new GuardedBody(body(), GuardedBody.Guard.NONE), "RowBinary",
                    "guarded-passes");
            assertEquals(ROWS, ch.queryLong("SELECT count() FROM " + db + ".t"));
            assertTrue(reads.get() > 3);
        }
    }

    private static void awaitGone(ClickHouse ch, String queryId) {
        assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(50), () -> ch.queryLong(
                "SELECT count() FROM system.processes WHERE query_id = " + ClickHouse.quote(queryId)) == 0),
                "the server still runs " + queryId);
    }

    /**
     * ROWS rows of a UInt64 and a 200-byte String in RowBinary: 42 MB, more than the loopback's socket buffers hold,
     * so the server has been reading (the query is in system.processes) before the client reaches the body's end;
     * and one block (fewer rows than max_insert_block_size), as a batch is.
     */
    private static ByteArrayInputStream body() {
        byte[] text = "x".repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteSink rows = new ByteSink(ROWS * (8 + 2 + text.length));
        for (int i = 0; i < ROWS; i++) {
            rows.writeLongLE(i);
            rows.writeVarint(text.length);
            rows.write(text, 0, text.length);
        }
        return new ByteArrayInputStream(rows.toByteArray());
    }
}
