package dev.clickstream.transfer.delivery;

import dev.clickstream.stack.process.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery loop over a sharded store ({@link dev.clickstream.transfer.shard.ShardedStore}) in memory: each
 * partition's rows and ranges on its shard only, and the cases of transfer/DESIGN.md exactly once per shard.
 */
class ShardedDeliveryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @Test
    void each_shard_holds_exactly_the_partitions_the_map_gives_it() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(5, 50, 2)) {
            h.produce(300);
            DeliveryHarness.Instance a = h.start("a");
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT));
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals("", h.misplaced());
            for (int s = 0; s < 2; s++) {
                int shard = s;
                assertEquals(h.allPartitions().stream().filter(p -> p % 2 == shard).toList(),
                        h.shards.get(s).target().keySet().stream().map(k -> k.partition()).distinct().sorted().toList());
            }
        }
    }

    @Test
    void a_crash_while_writing_to_one_shard_resumes_each_partition_from_its_own_shard() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(4, 40, 2)) {
            h.produce(400);
            DeliveryHarness.Instance a = h.start("a");
            a.views.get(1).then(InMemoryStore.Fault.NONE, InMemoryStore.Fault.NONE, InMemoryStore.Fault.CRASH);
            a.assign(h.allPartitions());
            assertInstanceOf(InMemoryStore.Crash.class, a.awaitDeath(TIMEOUT));
            assertFalse(h.shards.get(1).target().isEmpty());

            DeliveryHarness.Instance b = h.start("b");
            b.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT));
            assertTrue(b.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals("", h.misplaced());
        }
    }

    @Test
    void a_write_that_failed_on_one_shard_is_retried_without_what_either_shard_has() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(2, 40, 2)) {
            h.produce(300);
            DeliveryHarness.Instance a = h.start("a");
            a.views.get(1).then(InMemoryStore.Fault.NONE, InMemoryStore.Fault.PARTIAL, InMemoryStore.Fault.LOST_ANSWER);
            a.assign(h.allPartitions());
            assertTrue(h.awaitAllStored(TIMEOUT));
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals("", h.misplaced());
            assertTrue(a.metrics.retries.get() >= 2, "retries " + a.metrics.retries.get());
        }
    }

    @Test
    void a_shard_that_does_not_answer_holds_up_delivery_until_it_does_and_nothing_lands_twice() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(4, 40, 2)) {
            h.produce(200);
            DeliveryHarness.Instance a = h.start("a");
            a.views.get(1).down(true);
            a.assign(h.allPartitions());
            assertTrue(Deadline.in(TIMEOUT).until(Duration.ofMillis(2), () -> a.metrics.retries.get() >= 3),
                    "retries " + a.metrics.retries.get());
            assertEquals(0, h.shards.get(1).rows(), "rows reached a shard that is down");
            a.views.get(1).down(false);
            assertTrue(h.awaitAllStored(TIMEOUT));
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals("", h.misplaced());
        }
    }

    @Test
    void positions_come_from_the_partitions_shard() throws Exception {
        try (DeliveryHarness h = new DeliveryHarness(2, 40, 2)) {
            h.produce(200);
            // an earlier run logged 0..149 of partition 1 and stored 0..119; only shard 1 knows it, and a start that
            // looked on shard 0 would find no history and write 0..119 again
            h.seedDelivered(1, 0, 149, 120);
            DeliveryHarness.Instance a = h.start("a");
            a.assign(Set.of(0, 1));
            assertTrue(h.awaitAllStored(TIMEOUT));
            assertTrue(a.stop(TIMEOUT));
            assertEquals("", h.notExactlyOnce());
            assertEquals("", h.misplaced());
        }
    }
}
