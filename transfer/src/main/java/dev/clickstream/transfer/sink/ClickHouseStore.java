package dev.clickstream.transfer.sink;

import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The delivery store in ClickHouse: the offset log next to the target and unparsed tables. */
public final class ClickHouseStore implements DeliveryStore {
    private final ClickHouseSink sink;
    private final OffsetLog offsetLog;

    public ClickHouseStore(ClickHouseSink sink, OffsetLog offsetLog) {
        this.sink = sink;
        this.offsetLog = offsetLog;
    }

    @Override
    public Optional<Window> uncertain(int partition) {
        return offsetLog.uncertain(partition);
    }

    @Override
    public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
        return sink.presentKeys(ranges, offsetLog.generationStartMs());
    }

    @Override
    public void record(Batch batch, String writeId, String instance) {
        offsetLog.record(batch.ranges(), batch.oldestTimestampMs(), writeId, instance);
    }

    @Override
    public void write(Batch batch, TableLayout target, TableLayout unparsed, String writeId) {
        sink.write(batch, target, unparsed, writeId);
    }

    @Override
    public void awaitEnd(List<String> writeIds) {
        sink.awaitEnd(writeIds);
    }

    @Override
    public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        return sink.addColumn(layout, name, type);
    }
}
