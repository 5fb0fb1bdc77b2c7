package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
            ch.execute("CREATE TABLE " + db + ".t (x UInt64) ENGINE = MergeTree() ORDER BY x");
            AtomicInteger reads = new AtomicInteger();
            GuardedBody.Guard halfway = () -> {
                if (reads.incrementAndGet() > 3) {
                    throw new IOException("stood still");
                }
            };
            assertThrows(RuntimeException.class, () -> ch.insert(db + ".t", List.of("x"),
                    new GuardedBody(body(), halfway), "RowBinary", "guarded-halfway"));
            ByteArrayInputStream atEnd = body();
            GuardedBody.Guard onlyAtTheEnd = () -> {
                if (atEnd.available() == 0) {
                    throw new IOException("stood still");
                }
            };
            assertThrows(RuntimeException.class, () -> ch.insert(db + ".t", List.of("x"),
                    new GuardedBody(atEnd, onlyAtTheEnd), "RowBinary", "guarded-at-end"));
            assertEquals(0, atEnd.available(), "every row of the second body was read before its guard failed");
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".t"));

            ch.insert(db + ".t", List.of("x"), new GuardedBody(body(), GuardedBody.Guard.NONE), "RowBinary",
                    "guarded-passes");
            assertEquals(ROWS, ch.queryLong("SELECT count() FROM " + db + ".t"));
            assertTrue(reads.get() > 3);
        }
    }

    /** ROWS UInt64 values in RowBinary: 1.6 MB, more than one read of the client's buffer. */
    private static ByteArrayInputStream body() {
        ByteSink rows = new ByteSink(ROWS * 8);
        for (int i = 0; i < ROWS; i++) {
            rows.writeLongLE(i);
        }
        return new ByteArrayInputStream(rows.toByteArray());
    }
}
