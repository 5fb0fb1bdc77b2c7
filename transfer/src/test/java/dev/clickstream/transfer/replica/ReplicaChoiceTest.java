package dev.clickstream.transfer.replica;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The failover decision case by case, against servers described in memory. */
class ReplicaChoiceTest {
    /** A cluster in memory: who answers, who holds a ZooKeeper session, who lacks parts. */
    private static final class Cluster implements ReplicaChoice.Probe {
        final Set<String> answering = new LinkedHashSet<>();
        final Set<String> sessions = new LinkedHashSet<>();
        final Map<String, String> behind = new HashMap<>();
        final List<String> asked = new ArrayList<>();
        boolean failing;

        @Override
        public List<String> answering() {
            return List.copyOf(answering);
        }

        @Override
        public Set<String> withSession(String via) {
            asked.add("session via " + via);
            if (failing) {
                throw new IllegalStateException("stopped answering while asked");
            }
            return Set.copyOf(sessions);
        }

        @Override
        public Optional<String> behind(String replica) {
            asked.add("behind " + replica);
            return Optional.ofNullable(behind.get(replica));
        }
    }

    private final List<String> told = new ArrayList<>();
    private final ReplicaChoice choice = new ReplicaChoice("r1", told::add);
    private final Cluster cluster = new Cluster();

    @Test
    void the_replica_in_use_answering_again_keeps_it() {
        cluster.answering.addAll(List.of("r2", "r1"));
        assertEquals(new ReplicaChoice.Using("r1"), choice.reconsider(cluster));
        assertTrue(told.isEmpty(), told::toString);
        assertTrue(cluster.asked.isEmpty(), "nothing else asked: " + cluster.asked);
    }

    @Test
    void with_no_other_replica_answering_it_waits() {
        ReplicaChoice.State s = choice.reconsider(cluster);
        assertEquals(ReplicaChoice.Reason.NO_OTHER_REPLICA_ANSWERS, ((ReplicaChoice.Waiting) s).reason());
        assertEquals("r1", choice.current());
    }

    @Test
    void a_replica_that_does_not_answer_but_holds_its_session_keeps_the_transfer_waiting_before_any_catch_up_is_read() {
        cluster.answering.add("r2");
        cluster.sessions.addAll(List.of("r1", "r2"));
        ReplicaChoice.State s = choice.reconsider(cluster);
        assertEquals(ReplicaChoice.Reason.SESSION_ALIVE, ((ReplicaChoice.Waiting) s).reason());
        assertTrue(((ReplicaChoice.Waiting) s).detail().contains("replica r1 does not answer but still holds"), s.toString());
        assertEquals(List.of("session via r2"), cluster.asked, "positions or parts are not looked at yet");
        assertEquals("r1", choice.current());
    }

    @Test
    void once_the_session_is_gone_it_moves_to_a_replica_that_has_every_part() {
        cluster.answering.add("r2");
        cluster.sessions.addAll(List.of("r1", "r2"));
        choice.reconsider(cluster);
        cluster.sessions.remove("r1"); // a kill -9: the session expires
        assertEquals(new ReplicaChoice.Using("r2"), choice.reconsider(cluster));
        assertEquals("r2", choice.current());
        assertEquals(2, told.size(), told::toString);
        assertTrue(told.get(1).contains("delivery moves to it"), told.get(1));
    }

    @Test
    void a_replica_lacking_a_part_only_the_dead_one_has_is_not_moved_to_and_the_wait_is_told_once() {
        cluster.answering.add("r2");
        cluster.behind.put("r2", "clickhouse_events_offsets: queue_size 1");
        for (int i = 0; i < 5; i++) {
            ReplicaChoice.State s = choice.reconsider(cluster);
            assertEquals(ReplicaChoice.Reason.BEHIND, ((ReplicaChoice.Waiting) s).reason());
        }
        assertEquals(1, told.size(), told::toString);
        assertTrue(told.get(0).contains("r2: clickhouse_events_offsets: queue_size 1"), told.get(0));
        // the dead one comes back: the call on it succeeds, and the transfer stays there
        choice.answered("r1");
        assertEquals(new ReplicaChoice.Using("r1"), choice.state());
        assertEquals(2, told.size(), told::toString);
        assertTrue(told.get(1).contains("answers again"), told.get(1));
    }

    @Test
    void a_change_of_reason_is_told_again() {
        cluster.answering.add("r2");
        cluster.sessions.add("r1");
        choice.reconsider(cluster);
        choice.reconsider(cluster);
        cluster.sessions.clear();
        cluster.behind.put("r2", "queue_size 1");
        choice.reconsider(cluster);
        choice.reconsider(cluster);
        assertEquals(2, told.size(), told::toString);
    }

    @Test
    void it_moves_to_the_first_answering_replica_that_is_caught_up() {
        ReplicaChoice three = new ReplicaChoice("r1", told::add);
        cluster.answering.addAll(List.of("r2", "r3"));
        cluster.sessions.addAll(List.of("r2", "r3")); // both answer: a KILL reaches them, their sessions do not matter
        cluster.behind.put("r2", "queue_size 4");
        assertEquals(new ReplicaChoice.Using("r3"), three.reconsider(cluster));
    }

    @Test
    void a_third_replica_that_does_not_answer_but_holds_a_session_blocks_the_move_too() {
        ReplicaChoice three = new ReplicaChoice("r1", told::add);
        cluster.answering.add("r2");
        cluster.sessions.addAll(List.of("r2", "r3"));
        assertInstanceOf(ReplicaChoice.Waiting.class, three.reconsider(cluster));
    }

    @Test
    void a_probe_that_fails_leaves_the_state_as_it_was() {
        cluster.answering.add("r2");
        cluster.failing = true;
        assertEquals(new ReplicaChoice.Using("r1"), choice.reconsider(cluster));
        assertTrue(told.isEmpty());
    }

    @Test
    void answered_by_another_replica_than_the_one_in_use_changes_nothing() {
        cluster.answering.add("r2");
        cluster.sessions.add("r1");
        choice.reconsider(cluster);
        choice.answered("r2");
        assertEquals("r1", choice.current());
    }

    @Test
    void at_a_start_the_replica_in_use_is_used_once_it_has_every_part() {
        cluster.answering.addAll(List.of("r1", "r2"));
        cluster.behind.put("r1", "clickhouse_events has 3 entries in its replication queue");
        ReplicaChoice.State s = choice.start(cluster);
        assertEquals(ReplicaChoice.Reason.BEHIND, ((ReplicaChoice.Waiting) s).reason());
        assertEquals("r1", choice.current(), "not moved to r2 though it answers: r1 answers too, it only catches up");
        cluster.behind.clear();
        assertEquals(new ReplicaChoice.Using("r1"), choice.start(cluster));
        assertEquals(2, told.size(), told::toString);
    }

    @Test
    void at_a_start_with_the_configured_replica_down_it_starts_on_another_only_when_that_is_safe() {
        cluster.answering.add("r2");
        cluster.sessions.addAll(List.of("r1", "r2"));
        assertInstanceOf(ReplicaChoice.Waiting.class, choice.start(cluster));
        cluster.sessions.remove("r1");
        assertEquals(new ReplicaChoice.Using("r2"), choice.start(cluster));
    }

    @Test
    void at_a_start_with_everything_well_nothing_is_told() {
        cluster.answering.addAll(List.of("r1", "r2"));
        assertEquals(new ReplicaChoice.Using("r1"), choice.start(cluster));
        assertTrue(told.isEmpty(), told::toString);
    }
}
