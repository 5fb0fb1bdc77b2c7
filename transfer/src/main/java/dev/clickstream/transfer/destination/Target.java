package dev.clickstream.transfer.destination;

import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;

/**
 * Where a transfer's tables live: one server, the replicas of one shard, or the shards of a cluster. It owns the
 * connections it opened beyond the one the start went through, and makes the {@link DeliveryStore} the delivery
 * loop writes to. {@code TransferTargets} (the wiring) picks one from the config and the cluster's topology.
 */
public interface Target extends AutoCloseable {

    /**
     * Returns once the servers to write to answer and hold every part the cluster committed: before any position
     * or history is read. Waits as long as that takes (the reason is logged).
     */
    void awaitUsable();

    /** True when this topic has delivered here before: the cleanup policy is for a first activation only. */
    boolean hasHistory();

    /** What else a first activation's cleanup takes down with the tables (a sharded cluster's Distributed table). */
    default void cleanedUp(CleanupPolicy policy) {
    }

    /**
     * @param configured the target layout the config describes, before the table is read
     * @param user       the ClickHouse user, named in the fix for a missing grant
     */
    DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean schemaEvolution, String user);

    /** Closes the connections this target opened (not the one the start went through: the service closes that). */
    @Override
    void close();
}
