package dev.clickstream.transfer.replica;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Which replica of a one-shard cluster the transfer writes to and reads positions from, and the one place that
 * decides when it may move to another. Exactly once holds across a move only when (a) no INSERT can still commit
 * on a replica left behind, and (b) the replica moved to has every part the cluster committed, so that positions
 * read there are the cluster's:
 * <pre>
 * USING(r) ──(r does not answer)──▶ reconsider ──(another answers, every replica that does not answer has lost its
 *    ▲                                  │         ZooKeeper session, and that one has every part)──▶ USING(other)
 *    │                                  └──(else)──▶ WAITING(r, why) ──(r does not answer)──▶ reconsider
 *    └─────────────────(r answers again: a call on it succeeds)──────────────┘
 * </pre>
 * A replica that does not answer but holds its ZooKeeper session may be frozen with an INSERT it commits later
 * (KILL QUERY cannot reach it); once its session is gone it cannot commit one any more. A part the replica moved
 * to lacks and cannot fetch is on a replica that is down: moving would lose it from the positions, so the transfer
 * waits until that replica is back. This class only decides; {@link Probe} asks the servers.
 */
public final class ReplicaChoice {

    /** What the servers say, asked lazily in the order the decision needs it. */
    public interface Probe {
        /** The replicas that answer now, by name, in the order to move to; the one in use among them if it does. */
        List<String> answering();

        /** The replicas that hold a ZooKeeper session for the transfer's tables, as {@code via} reads ZooKeeper. */
        Set<String> withSession(String via);

        /** Why {@code replica} lacks parts the cluster committed (its replication queue, its log), or empty. */
        Optional<String> behind(String replica);
    }

    /** Why the transfer stays on a replica that does not answer. */
    public enum Reason {
        NO_OTHER_REPLICA_ANSWERS,
        /** A replica that does not answer still holds its ZooKeeper session: it may commit an INSERT later. */
        SESSION_ALIVE,
        /** The replica that answers lacks a part that only a replica that is down has. */
        BEHIND
    }

    public sealed interface State permits Using, Waiting {
        String replica();
    }

    public record Using(String replica) implements State {
    }

    public record Waiting(String replica, Reason reason, String detail) implements State {
    }

    private final Consumer<String> log;
    private State state;

    /** @param log where each change of state is told, once */
    public ReplicaChoice(String first, Consumer<String> log) {
        this.state = new Using(first);
        this.log = log;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized String current() {
        return state.replica();
    }

    /** A call on the replica in use succeeded: it answers again. */
    public synchronized void answered(String replica) {
        if (state instanceof Waiting w && w.replica().equals(replica)) {
            change(new Using(replica), "replica " + replica + " answers again: delivery goes on there");
        }
    }

    /**
     * The replica in use did not answer: stays with it, or moves to another when that is safe. Returns the state
     * after; a failure of the probe itself (a server that stops answering while asked) leaves the state as it was.
     */
    public synchronized State reconsider(Probe probe) {
        try {
            return decide(probe);
        } catch (RuntimeException e) {
            return state; // asked again at the next failure: the loop retries with backoff
        }
    }

    /**
     * At a start, before any position is read: the replica in use when it answers and has every part the cluster
     * committed (one that was down while another was written to catches up first), else as {@link #reconsider}.
     */
    public synchronized State start(Probe probe) {
        try {
            String current = state.replica();
            if (!probe.answering().contains(current)) {
                return decide(probe);
            }
            Optional<String> behind = probe.behind(current);
            if (behind.isPresent()) {
                return waiting(current, Reason.BEHIND, "it lacks parts the cluster committed (" + behind.get()
                        + "): positions are read there once it has them");
            }
            if (state instanceof Waiting) {
                change(new Using(current), "replica " + current + " answers and has every part: delivery starts there");
            }
            return state;
        } catch (RuntimeException e) {
            return state;
        }
    }

    private State decide(Probe probe) {
        String left = state.replica();
        List<String> answering = probe.answering();
        if (answering.contains(left)) {
            answered(left);
            return state;
        }
        if (answering.isEmpty()) {
            return waiting(left, Reason.NO_OTHER_REPLICA_ANSWERS, "it does not answer, and no other replica of the shard does");
        }
        Set<String> alive = new TreeSet<>(probe.withSession(answering.get(0)));
        alive.removeAll(answering);
        if (!alive.isEmpty()) {
            return waiting(left, Reason.SESSION_ALIVE, "it does not answer, and replica " + String.join(", ", alive)
                    + " does not answer but"
                    + " still holds its ZooKeeper session: it may be frozen with an INSERT it commits later, so no"
                    + " other replica is used until that session is gone (a dead server's expires in about 30 s)");
        }
        StringBuilder lacking = new StringBuilder();
        for (String candidate : answering) {
            Optional<String> behind = probe.behind(candidate);
            if (behind.isEmpty()) {
                change(new Using(candidate), "replica " + left + " does not answer and no INSERT can commit there any"
                        + " more; replica " + candidate + " has every part the cluster committed: delivery moves to it,"
                        + " positions are read there");
                return state;
            }
            lacking.append(lacking.isEmpty() ? "" : "; ").append(candidate).append(": ").append(behind.get());
        }
        return waiting(left, Reason.BEHIND, "it does not answer, and no replica that answers has every part the"
                + " cluster committed ("
                + lacking + "); what it lacks can only come from a replica that is down, so delivery waits for it"
                + " to come back rather than read positions that miss it");
    }

    private State waiting(String replica, Reason reason, String detail) {
        Waiting next = new Waiting(replica, reason, detail);
        if (!(state instanceof Waiting w && w.reason() == reason && w.replica().equals(replica))) {
            change(next, "waiting on replica " + replica + ": " + detail);
        } else {
            state = next; // the same reason: told once, when it began
        }
        return state;
    }

    private void change(State next, String message) {
        state = next;
        log.accept(message);
    }
}
