package dev.clickstream.transfer.replica;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the replicated store sends each call, and when it asks the choice, with replicas in memory. */
class ReplicatedStoreTest {
    /** A replica's store that answers, refuses connections, or fails otherwise, and says what it was asked. */
    private static final class Replica implements DeliveryStore {
        final String name;
        final List<String> calls = new ArrayList<>();
        RuntimeException failure;

        Replica(String name) {
            this.name = name;
        }

        private void call(String what) {
            if (failure != null) {
                throw failure;
            }
            calls.add(what);
        }

        @Override
        public Optional<Window> uncertain(int partition) {
            call("uncertain " + partition);
            return Optional.empty();
        }

        @Override
        public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
            call("presentKeys");
            return Set.of();
        }

        @Override
        public void checkStructure(TableLayout target) {
            call("checkStructure");
        }

        @Override
        public TableLayout reload() {
            call("reload");
            return null;
        }

        @Override
        public boolean targetExists() {
            call("targetExists");
            return true;
        }

        @Override
        public void record(Batch batch, String writeId, String instance) {
            call("record " + writeId);
        }

        @Override
        public void write(Batch batch, TableLayout target, TableLayout unparsed, String writeId) {
            call("write " + writeId);
        }

        @Override
        public void awaitEnd(List<String> writeIds) {
            call("awaitEnd " + writeIds);
        }

        @Override
        public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
            call("addColumn " + name);
            return layout;
        }
    }

    private static final RuntimeException REFUSED = new UserFacingException("cannot reach ClickHouse",
            new java.net.ConnectException("Connection refused"));
    private static final RuntimeException RESET = new UserFacingException("ClickHouse at r1",
            new java.net.SocketException("Connection reset"));

    private final Replica r1 = new Replica("r1");
    private final Replica r2 = new Replica("r2");
    private final List<String> probed = new ArrayList<>();
    /** r2 answers, r1 lost its session, r2 has every part: a move is safe. */
    private final ReplicaChoice.Probe safe = new ReplicaChoice.Probe() {
        @Override
        public List<String> answering() {
            probed.add("answering");
            return r1.failure == null ? List.of("r1", "r2") : List.of("r2");
        }

        @Override
        public Set<String> withSession(String via) {
            return Set.of("r2");
        }

        @Override
        public Optional<String> behind(String replica) {
            lagAsked.add(replica);
            return Optional.ofNullable(lagging.get(replica));
        }
    };
    /** Replicas that lack parts the cluster committed, and why. */
    private final Map<String, String> lagging = new LinkedHashMap<>();
    private final List<String> lagAsked = new ArrayList<>();
    private final ReplicaChoice choice = new ReplicaChoice("r1", m -> { });
    private final ReplicatedStore store;

    ReplicatedStoreTest() {
        Map<String, DeliveryStore> members = new LinkedHashMap<>();
        members.put("r1", r1);
        members.put("r2", r2);
        store = new ReplicatedStore(members, choice, safe);
    }

    @Test
    void calls_go_to_the_replica_in_use_only() {
        store.uncertain(0);
        store.record(null, "w1", "i");
        assertEquals(List.of("uncertain 0", "record w1"), r1.calls);
        assertTrue(r2.calls.isEmpty());
        assertTrue(probed.isEmpty(), "nobody asked while it answers");
    }

    @Test
    void an_unanswered_call_fails_and_the_retry_goes_to_the_replica_chosen() {
        r1.failure = REFUSED;
        assertThrows(UserFacingException.class, () -> store.write(null, null, null, "w1"));
        assertEquals("r2", store.current());
        store.presentKeys(Map.of());
        assertEquals(List.of("presentKeys"), r2.calls);
    }

    @Test
    void a_connection_reset_is_retried_on_the_same_replica_without_asking() {
        r1.failure = RESET;
        assertThrows(UserFacingException.class, () -> store.write(null, null, null, "w1"));
        assertEquals("r1", store.current());
        assertTrue(probed.isEmpty(), probed::toString);
    }

    @Test
    void earlier_attempts_are_ended_on_every_replica_that_answers_and_one_that_does_not_is_passed_over() {
        store.awaitEnd(List.of("w1"));
        assertEquals(List.of("awaitEnd [w1]"), r1.calls);
        assertEquals(List.of("awaitEnd [w1]"), r2.calls);
        r1.failure = REFUSED;
        assertThrows(UserFacingException.class, () -> store.awaitEnd(List.of("w2")));
        store.awaitEnd(List.of("w2")); // now on r2; r1, which lost its session, is passed over
        assertEquals(List.of("awaitEnd [w1]", "awaitEnd [w2]"), r2.calls);
    }

    @Test
    void another_replica_that_answers_but_fails_the_kill_fails_the_attempt() {
        r2.failure = new UserFacingException("Code: 380 unkillable", null);
        assertThrows(UserFacingException.class, () -> store.awaitEnd(List.of("w1")));
    }

    @Test
    void positions_are_read_only_on_a_replica_that_has_every_part_and_a_lagging_one_fails_to_be_retried() {
        lagging.put("r1", "clickhouse_events_offsets has copied the replication log up to 7 of 9");
        UserFacingException e = assertThrows(UserFacingException.class, () -> store.uncertain(0));
        assertTrue(e.getMessage().startsWith("replica r1 lacks parts the cluster committed"), e.getMessage());
        assertThrows(UserFacingException.class, () -> store.presentKeys(Map.of()));
        assertTrue(r1.calls.isEmpty(), "a position was read on a replica behind: " + r1.calls);
        assertEquals("r1", store.current(), "lagging is no reason to move");
        assertTrue(probed.isEmpty(), probed::toString);

        lagging.clear();
        store.uncertain(0);
        store.presentKeys(Map.of());
        assertEquals(List.of("uncertain 0", "presentKeys"), r1.calls);
    }

    @Test
    void writes_do_not_wait_for_the_replica_to_catch_up() {
        lagging.put("r1", "clickhouse_events has 1 parts to fetch in its replication queue");
        store.record(null, "w1", "i");
        store.write(null, null, null, "w1");
        assertEquals(List.of("record w1", "write w1"), r1.calls);
        assertTrue(lagAsked.isEmpty(), lagAsked::toString);
    }
}
