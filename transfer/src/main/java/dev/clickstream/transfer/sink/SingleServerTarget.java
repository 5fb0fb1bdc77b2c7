package dev.clickstream.transfer.sink;

import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.destination.Target;

/**
 * The tables on one server: the one configured, a cluster of one server, or one shard of a cluster that has a
 * single server. Usable as soon as it answers; it opens no connection of its own.
 */
public final class SingleServerTarget implements Target {
    private final ClickHouseSink sink;
    private final OffsetLog log;

    public SingleServerTarget(ClickHouseSink sink, OffsetLog log) {
        this.sink = sink;
        this.log = log;
    }

    @Override
    public void awaitUsable() {
        // one server: nothing to wait for beyond its answer, which the start already had
    }

    @Override
    public boolean hasHistory() {
        return log.hasHistory();
    }

    @Override
    public DeliveryStore store(TableLayout configured, TableLayout unparsed, boolean schemaEvolution, String user) {
        return new ClickHouseStore(sink, log, configured, unparsed, schemaEvolution, user);
    }

    @Override
    public void close() {
        // the session belongs to whoever opened it
    }
}
