package dev.clickstream.transfer.sink;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.store.FailureClass;
import dev.clickstream.transfer.store.FatalFailure;
import dev.clickstream.common.clickhouse.ClickHouse.ClickHouseFailure;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The delivery store in ClickHouse: the offset log next to the target and unparsed tables. A failure no retry can
 * fix (the database gone, a missing grant) leaves as a {@link FatalFailure} naming the table and the fix.
 */
public final class ClickHouseStore implements DeliveryStore {
    private final ClickHouseSink sink;
    private final OffsetLog offsetLog;
    private final TableLayout configured;
    private final TableLayout unparsed;
    private final boolean schemaEvolution;
    private final String user;

    /**
     * @param configured the target layout the config describes, before the table is read
     * @param user       the ClickHouse user, named in the fix for a missing grant
     */
    public ClickHouseStore(ClickHouseSink sink, OffsetLog offsetLog, TableLayout configured, TableLayout unparsed,
                           boolean schemaEvolution, String user) {
        this.sink = sink;
        this.offsetLog = offsetLog;
        this.configured = configured;
        this.unparsed = unparsed;
        this.schemaEvolution = schemaEvolution;
        this.user = user;
    }

    /** Creates what is missing and reads the target as it is now; used at start and after the table changed. */
    @Override
    public TableLayout reload() {
        return guarded(() -> sink.prepare(configured, unparsed, schemaEvolution));
    }

    @Override
    public boolean targetExists() {
        return guarded(sink::targetExists);
    }

    @Override
    public Optional<Window> uncertain(int partition) {
        return guarded(() -> offsetLog.uncertain(partition));
    }

    @Override
    public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
        return guarded(() -> sink.presentKeys(ranges, offsetLog.generationStartMs()));
    }

    @Override
    public void checkStructure(TableLayout target) {
        guarded(() -> {
            sink.checkStructure(target);
            return null;
        });
    }

    @Override
    public void record(Batch batch, String writeId, String instance) {
        guarded(() -> {
            offsetLog.record(batch.ranges(), batch.oldestTimestampMs(), writeId, instance);
            return null;
        });
    }

    @Override
    public void write(Batch batch, TableLayout target, TableLayout unparsedLayout, String writeId) {
        guarded(() -> {
            sink.write(batch, target, unparsedLayout, writeId);
            return null;
        });
    }

    @Override
    public void awaitEnd(List<String> writeIds) {
        guarded(() -> {
            sink.awaitEnd(writeIds);
            return null;
        });
    }

    @Override
    public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        return guarded(() -> sink.addColumn(layout, name, type));
    }

    /** Runs a call to ClickHouse; a failure no retry fixes leaves as a {@link FatalFailure} naming the table. */
    private <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (ClickHouseFailure e) {
            throw explained(e, sink.describe(), sink.database(), user);
        }
    }

    /** The failure itself, or, when no retry fixes it, a {@link FatalFailure} naming the table and the fix. */
    public static RuntimeException explained(ClickHouseFailure e, String table, String database, String user) {
        if (FailureClass.of(e) != FailureClass.FATAL || e.serverCode() == 192 || e.serverCode() == 193
                || e.serverCode() == 516) {
            return e; // a refused login is explained as such already, with the server and the user
        }
        String fix = FailureClass.fixFor(e.serverCode(), database, user);
        return new FatalFailure("cannot deliver to " + table + ": " + e.getMessage() + (fix.isEmpty() ? "" : "; " + fix),
                e);
    }
}
