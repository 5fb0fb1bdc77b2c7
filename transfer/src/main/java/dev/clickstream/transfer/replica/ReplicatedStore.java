package dev.clickstream.transfer.replica;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.store.FailureClass;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The delivery store of a one-shard cluster with several replicas: every call goes to the replica in use (its
 * offset log and tables), as on one server. When that replica does not answer ({@link FailureClass#unanswered}),
 * {@link ReplicaChoice} decides whether the transfer moves to another; the call fails either way, and the loop's
 * retry (which ends earlier attempts, looks for what they wrote and writes the rest) runs on the replica chosen.
 * Moving is safe for exactly once because the choice moves only where the positions are the cluster's and no
 * INSERT can still commit on the replica left.
 */
public final class ReplicatedStore implements DeliveryStore {
    private final Map<String, DeliveryStore> members;
    private final ReplicaChoice choice;
    private final ReplicaChoice.Probe probe;

    /** @param members each replica's store, by the id the choice and the probe name it by */
    public ReplicatedStore(Map<String, DeliveryStore> members, ReplicaChoice choice, ReplicaChoice.Probe probe) {
        this.members = Map.copyOf(members);
        this.choice = choice;
        this.probe = probe;
    }

    public String current() {
        return choice.current();
    }

    private <T> T onCurrent(Function<DeliveryStore, T> call) {
        return onCurrent(call, false);
    }

    /**
     * The call on the replica in use; with {@code readsPositions}, only once that replica has every part the
     * cluster committed. Another instance of the group may write to another replica (it failed over, or it was
     * configured so): what it logged and wrote reaches this one by replication, and positions read before it has
     * would miss it and write its lines again. A replica behind fails the call as an outage does; the loop retries
     * with backoff: seconds while another instance writes small batches on the other replica (transfer/DESIGN.md,
     * "Instances of one group on different replicas").
     */
    private <T> T onCurrent(Function<DeliveryStore, T> call, boolean readsPositions) {
        String id = choice.current();
        try {
            if (readsPositions) {
                Optional<String> behind = probe.behind(id);
                if (behind.isPresent()) {
                    throw new UserFacingException("replica " + id + " lacks parts the cluster committed ("
                            + behind.get() + "): positions are read there once it has them");
                }
            }
            T result = call.apply(members.get(id));
            choice.answered(id);
            return result;
        } catch (RuntimeException e) {
            if (FailureClass.unanswered(e)) {
                choice.reconsider(probe);
            }
            throw e;
        }
    }

    private void onCurrentDo(java.util.function.Consumer<DeliveryStore> call) {
        onCurrent(s -> {
            call.accept(s);
            return null;
        });
    }

    @Override
    public Optional<Window> uncertain(int partition) {
        return onCurrent(s -> s.uncertain(partition), true);
    }

    @Override
    public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
        return onCurrent(s -> s.presentKeys(ranges), true);
    }

    @Override
    public void checkStructure(TableLayout target) {
        onCurrentDo(s -> s.checkStructure(target));
    }

    @Override
    public TableLayout reload() {
        return onCurrent(DeliveryStore::reload);
    }

    @Override
    public boolean targetExists() {
        return onCurrent(DeliveryStore::targetExists);
    }

    @Override
    public void record(Batch batch, String writeId, String instance) {
        onCurrentDo(s -> s.record(batch, writeId, instance));
    }

    @Override
    public void write(Batch batch, TableLayout target, TableLayout unparsed, String writeId) {
        onCurrentDo(s -> s.write(batch, target, unparsed, writeId));
    }

    /**
     * On the replica in use, and on every other replica that answers: an earlier attempt may have run on a replica
     * used before a move. One that does not answer is passed over: the choice moved away from it only once it had
     * lost its ZooKeeper session, after which none of its INSERTs can commit.
     */
    @Override
    public void awaitEnd(List<String> writeIds) {
        onCurrentDo(s -> s.awaitEnd(writeIds));
        if (writeIds.isEmpty()) {
            return;
        }
        String current = choice.current();
        for (Map.Entry<String, DeliveryStore> m : members.entrySet()) {
            if (!m.getKey().equals(current)) {
                try {
                    m.getValue().awaitEnd(writeIds);
                } catch (RuntimeException e) {
                    if (!FailureClass.unanswered(e)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        return onCurrent(s -> s.addColumn(layout, name, type));
    }
}
