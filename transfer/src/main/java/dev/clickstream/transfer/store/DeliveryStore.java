package dev.clickstream.transfer.store;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.TableLayout;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a transfer's deliveries and positions live: the offset log and the two tables. Exactly once rests on
 * what these calls promise, not on how they are stored; {@code sink.ClickHouseStore} keeps them in ClickHouse, and
 * the delivery loop's unit tests keep them in memory.
 */
public interface DeliveryStore {
    /**
     * How many batches may be written at once. Only the newest IN_FLIGHT ranges of a partition can then be
     * incomplete, and a partition resumes at the first offset of the oldest of them.
     */
    int IN_FLIGHT = 2;

    /**
     * The offsets of a partition that may be only partly stored, and the writes that logged them.
     *
     * @param writeIds every write (of any instance) that logged one of these ranges: one of them may still be
     *                 running if its instance was paused or cut off, and must be ended before the window is read
     */
    record Window(long first, long last, List<String> writeIds) {
        public Batch.Range range() {
            return new Batch.Range(first, last);
        }
    }

    /**
     * The window of a partition: from the first offset of the oldest of its newest two logged ranges to the last
     * offset of the newest. Empty when the partition has no history.
     */
    Optional<Window> uncertain(int partition);

    /**
     * The lines of these offset ranges already in the target or unparsed table, written by this topic: rows a
     * deleted topic of the same name left at the same offsets are not among them.
     */
    Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges);

    /**
     * Throws {@link TableChanged} unless the target still has the columns and types the layout encodes for; called
     * before each batch is logged.
     */
    void checkStructure(TableLayout target);

    /** The target layout as the table is now, creating what is missing (the table was dropped or altered). */
    TableLayout reload();

    /** True when the target table exists now (it may have been dropped by a person). */
    boolean targetExists();

    /** Logs the ranges a batch is about to write (and how old its messages are); called before its rows are written. */
    void record(Batch batch, String writeId, String instance);

    /** Writes the batch's target rows, then its unparsed rows; either may be empty. */
    void write(Batch batch, TableLayout target, TableLayout unparsed, String writeId);

    /** Returns once no write of these ids can still add rows (a client timeout does not stop one on the server). */
    void awaitEnd(List<String> writeIds);

    /** Schema evolution: the layout with a column for this new top-level field, or with the field kept in _rest. */
    TableLayout addColumn(TableLayout layout, String name, FieldType type);
}
