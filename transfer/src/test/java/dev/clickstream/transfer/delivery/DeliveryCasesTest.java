package dev.clickstream.transfer.delivery;

import dev.clickstream.stack.process.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cases of transfer/DESIGN.md on the real delivery loop with Kafka and ClickHouse in memory
 * ({@link DeliveryHarness}): each runs in milliseconds and asserts every line exactly once. The same cases against
 * the real services are the ITs.
 */
class DeliveryCasesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void every_line_lands_once_in_the_table_it_belongs_to() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(3, 50)) {
            h.produce(400);
            DeliveryHarness.Instance a = h.start("a");
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertTrue(a.stoppedCleanly());
            assertEquals("", h.notExactlyOnce());
            assertEquals(0, (long) a.metrics.retries.get());
        }
    }

    @Test
    void a_crash_in_the_middle_of_a_write_resumes_from_the_log_without_duplicates() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(3, 50)) {
            h.produce(400);
            DeliveryHarness.Instance a = h.start("a");
            a.view.then(InMemoryStore.Fault.NONE, InMemoryStore.Fault.NONE, InMemoryStore.Fault.NONE,
                    InMemoryStore.Fault.CRASH);
            a.assign(h.allPartitions());
            assertInstanceOf(InMemoryStore.Crash.class, a.awaitDeath(TIMEOUT));
            assertFalse(h.store.target().isEmpty(), "the crash came after some rows were stored");

            DeliveryHarness.Instance b = h.start("b");
            b.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(b.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
        }
    }

    @Test
    void a_failed_write_is_retried_without_what_it_already_wrote() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(2, 40)) {
            h.produce(300);
            DeliveryHarness.Instance a = h.start("a");
            a.view.then(InMemoryStore.Fault.PARTIAL, InMemoryStore.Fault.LOST_ANSWER, InMemoryStore.Fault.DOWN,
                    InMemoryStore.Fault.NONE, InMemoryStore.Fault.PARTIAL, InMemoryStore.Fault.PARTIAL);
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals(5, (long) a.metrics.retries.get(), "one retry per fault");
        }
    }

    @Test
    void a_partition_revoked_while_its_write_fails_goes_whole_to_the_next_owner() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(3, 50)) {
            DeliveryHarness.Instance a = h.start("a");
            h.produce(100);
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            a.view.down(true);
            h.produce(100);
            // a holds rows of every partition it cannot write; partition 1 moves to b meanwhile
            assertTrue(Deadline.in(TIMEOUT).until(Duration.ofMillis(1), () -> a.metrics.retries.get() >= 2));
            a.revoke(Set.of(1));
            DeliveryHarness.Instance b = h.start("b");
            b.assign(Set.of(1));
            a.view.down(false);
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT) && b.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals(Set.of("b"), h.store.log().stream().filter(l -> l.partition() == 1).map(l -> l.instance())
                    .filter(i -> !i.equals("a")).collect(Collectors.toSet()), "b delivered partition 1");
        }
    }

    @Test
    void batches_that_reread_a_window_log_it_from_its_first_offset() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(1, 10)) {
            h.produce(100);
            h.seedDelivered(0, 0, 59, 30); // a crashed run logged 0..59 and stored 0..29
            DeliveryHarness.Instance a = h.start("a");
            a.assign(Set.of(0));
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertTrue(h.store.log().stream().filter(l -> l.instance().equals("a") && l.last() <= 59)
                    .allMatch(l -> l.first() == 0), "every batch inside the window logs it from 0: " + h.store.log());
        }
    }

    @Test
    void a_batch_held_across_a_pause_past_the_session_timeout_is_not_written() throws Exception {
        frozenWriterIsFenced(InMemoryStore.View::freezeAfterNextRecord, "a logged a batch and froze");
    }

    @Test
    void a_write_that_stood_still_after_its_last_check_does_not_finish_its_insert() throws Exception {
        // a wakes inside the INSERT: its body asks the pause watch and breaks off
        frozenWriterIsFenced(InMemoryStore.View::freezeInNextWrite,
                "a logged a batch, checked its epoch, and froze before its INSERT's body");
    }

    /**
     * a stands still at the moment {@code freeze} picks, the group gives its partition to b, which delivers
     * everything; a wakes a minute later, still holding its logged batch, and writes none of it.
     */
    private static void frozenWriterIsFenced(java.util.function.Consumer<InMemoryStore.View> freeze, String frozen)
            throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(1, 20)) {
            h.produce(100);
            DeliveryHarness.Instance a = h.start("a");
            freeze.accept(a.view);
            a.assign(Set.of(0));
            assertTrue(Deadline.in(TIMEOUT).until(Duration.ofMillis(1), a.gate::holding), frozen);

            DeliveryHarness.Instance b = h.start("b");
            b.assign(Set.of(0));
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());

            // a learns of its loss a poll after it wakes
            a.clock.addAndGet(Duration.ofMinutes(1).toNanos());
            a.gate.open();
            assertTrue(Deadline.in(TIMEOUT).until(Duration.ofMillis(1), () -> a.metrics.fencedBatches.get() >= 1));
            a.revoke(Set.of(0));
            assertTrue(a.stop(TIMEOUT) && b.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals(1, (long) a.metrics.pauses.get());
        }
    }

    @Test
    void a_retention_gap_is_counted_and_delivery_goes_on_after_it() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(1, 20)) {
            h.produce(100);
            h.seedDelivered(0, 0, 39, 10); // logged 0..39, stored 0..9, then stopped
            h.topic.deleteBefore(0, 30);   // retention took 0..29 meanwhile: 10..29 never reached ClickHouse
            h.forget(0, 10, 30);
            DeliveryHarness.Instance a = h.start("a");
            a.assign(Set.of(0));
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals(20, (long) a.metrics.skippedMessages.get(), "offsets 10..29");
        }
    }

    @Test
    void a_partition_without_history_commits_where_it_starts_so_its_next_owner_starts_there() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(1, 20)) {
            h.topic.resetToLatest(true);
            h.produce(50);
            h.forget(0, 0, 50); // before the group's start with auto_offset_reset: latest
            DeliveryHarness.Instance a = h.start("a");
            a.view.down(false);
            a.assign(Set.of(0));
            assertTrue(Deadline.in(TIMEOUT).until(Duration.ofMillis(1), () -> h.topic.committed(0).isPresent()));
            a.view.down(true); // a reads on but can never log a batch
            h.produce(50);
            a.revoke(Set.of(0));
            DeliveryHarness.Instance b = h.start("b");
            b.assign(Set.of(0));
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(b.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce(), "b started where a did, not at the end");
        }
    }

    @Test
    void a_loop_that_fails_ends_without_stopping_cleanly() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(1, 10)) {
            h.produce(20);
            DeliveryHarness.Instance a = h.start("a");
            a.view.failWith(new IllegalStateException("a bug"));
            a.assign(Set.of(0));
            Throwable died = a.awaitDeath(TIMEOUT);
            assertInstanceOf(IllegalStateException.class, died);
            assertFalse(a.stoppedCleanly(), "a failed loop must not exit 0");
        }
    }

    @Test
    void positioning_waits_out_kafka_timeouts() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(2, 10)) {
            h.produce(50);
            DeliveryHarness.Instance a = h.start("a");
            a.source.failPositions(3, new org.apache.kafka.common.errors.TimeoutException("position timed out"));
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
        }
    }

    @Test
    void a_table_altered_after_a_batch_was_logged_is_read_again_and_the_batch_parsed_again() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(3, 50)) {
            h.produce(400);
            DeliveryHarness.Instance a = h.start("a");
            a.view.then(InMemoryStore.Fault.NONE, InMemoryStore.Fault.NONE, InMemoryStore.Fault.TABLE_CHANGED);
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals(1, a.view.reloads.get(), "the table is read again once");
            assertEquals(0, (long) a.metrics.retries.get(), "a changed table is read again, not retried as it was");
            assertTrue(a.metrics.writeErrors.labelValues("table_changed").get() >= 1);
        }
    }

    @Test
    void a_table_altered_before_a_batch_is_logged_is_read_again_and_nothing_is_lost() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(2, 40)) {
            h.produce(300);
            DeliveryHarness.Instance a = h.start("a");
            a.view.alterBeforeNextCheck();
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals(1, a.view.reloads.get());
        }
    }

    @Test
    void a_table_that_only_looked_gone_is_read_again_with_the_presence_check() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(3, 50)) {
            h.produce(400);
            DeliveryHarness.Instance a = h.start("a");
            // the third batch fails as "table gone" once the fourth is stored, and the table is there again
            a.view.then(InMemoryStore.Fault.NONE, InMemoryStore.Fault.NONE, InMemoryStore.Fault.TABLE_GONE_AFTER_NEXT);
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT), "stored " + h.store.rows() + ": " + h.notExactlyOnce());
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce(), "the batch stored after the failed one must not be written twice");
            assertEquals(1, a.view.reloads.get());
        }
    }

    @Test
    void a_fatal_failure_ends_the_loop_at_once_without_retrying() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(1, 10)) {
            h.produce(20);
            DeliveryHarness.Instance a = h.start("a");
            a.view.failWith(new dev.clickstream.transfer.store.FatalFailure("cannot deliver to memory: database gone", null));
            a.assign(Set.of(0));
            Throwable died = a.awaitDeath(TIMEOUT);
            assertInstanceOf(dev.clickstream.transfer.store.FatalFailure.class, died);
            assertFalse(a.stoppedCleanly());
            assertEquals(0, (long) a.metrics.retries.get());
        }
    }
}
