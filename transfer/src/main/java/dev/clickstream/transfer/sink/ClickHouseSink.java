package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.FailureClass;
import dev.clickstream.transfer.store.TableChanged;
import dev.clickstream.transfer.destination.TargetTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ClickHouse side of a transfer: the target table, its {@code _unparsed} sibling, what is already in
 * them, and the inserts. One INSERT per table per batch. What the tables' columns are is {@link TargetStructure}'s.
 */
public final class ClickHouseSink {
    private static final String TARGET_QUERY = "-target";
    private static final String UNPARSED_QUERY = "-unparsed";

    private final SqlSession ch;
    private final String database;
    private final String table;
    private final String topic;
    private final Placement placement;
    private final TargetStructure structure;

    public ClickHouseSink(SqlSession ch, TargetTable target) {
        this.placement = target.placement();
        this.ch = ch;
        this.database = target.database();
        this.table = target.table();
        this.topic = target.topic();
        this.structure = new TargetStructure(ch, database, table, placement);
    }

    public String database() {
        return database;
    }

    public String targetTable() {
        return ClickHouse.identifier(database) + "." + ClickHouse.identifier(table);
    }

    public String unparsedTable() {
        return ClickHouse.identifier(database) + "." + ClickHouse.identifier(table + "_unparsed");
    }

    public boolean targetExists() {
        return ch.tableExists(database, table);
    }

    public String describe() {
        return database + "." + table;
    }

    /** Applies the cleanup policy; only called on a first activation (no delivery history). */
    public void cleanUp(CleanupPolicy policy) {
        switch (policy) {
            case DROP -> {
                ch.execute("DROP TABLE IF EXISTS " + targetTable() + placement.onClusterClause());
                ch.execute("DROP TABLE IF EXISTS " + unparsedTable() + placement.onClusterClause());
            }
            case TRUNCATE -> {
                if (ch.tableExists(database, table)) {
                    ch.execute("TRUNCATE TABLE " + targetTable() + placement.onClusterClause());
                }
                if (ch.tableExists(database, table + "_unparsed")) {
                    ch.execute("TRUNCATE TABLE " + unparsedTable() + placement.onClusterClause());
                }
            }
            case DISABLED -> {
            }
        }
    }

    public void createDatabase() {
        // ON CLUSTER waits for every server: with one replica down it would block a restart for minutes, so what
        // this server already has is not created again
        if (!placement.onCluster() || ch.queryLong("SELECT count() FROM system.databases WHERE name = "
                + ClickHouse.quote(database)) == 0) {
            ch.execute(createDatabaseSql(database, placement));
        }
    }

    public static String createDatabaseSql(String database, Placement placement) {
        return "CREATE DATABASE IF NOT EXISTS " + ClickHouse.identifier(database) + placement.onClusterClause();
    }

    /** The target's CREATE TABLE, then the unparsed table's, as {@link #prepare} runs them. */
    public static List<String> createTablesSql(TableLayout target, TableLayout unparsed, String database, String table,
                                               Placement placement) {
        return List.of(target.createTargetSql(database, table, placement),
                unparsed.createUnparsedSql(database, table + "_unparsed", placement));
    }

    /** See {@link TargetStructure#prepare}. */
    public TableLayout prepare(TableLayout target, TableLayout unparsed, boolean schemaEvolution) {
        return structure.prepare(target, unparsed, schemaEvolution);
    }

    /** See {@link TargetStructure#check}. */
    public void checkStructure(TableLayout layout) {
        structure.check(layout);
    }

    /** See {@link TargetStructure#addColumn}. */
    public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        return structure.addColumn(layout, name, type);
    }

    /**
     * Inserts the target rows, then the unparsed rows; either may be empty. The INSERTs carry query ids made
     * from {@code writeId}, so {@link #awaitEnd} can find them if the client gives up on them.
     */
    public void write(Batch batch, TableLayout target, TableLayout unparsed, String writeId) {
        if (batch.targetRows() > 0) {
            try {
                ch.insert(targetTable(), target.columnNames(), batch.targetData(),
                        batch.targetEncoder().format().clickhouseName(), writeId + TARGET_QUERY);
            } catch (RuntimeException e) {
                if (FailureClass.of(e) == FailureClass.TABLE_CHANGED) {
                    checkStructure(target); // throws TableChanged when it did change; else the error stands
                }
                throw e;
            }
        }
        if (batch.unparsedRows() > 0) {
            try {
                ch.insert(unparsedTable(), unparsed.columnNames(), batch.unparsedData(),
                        batch.unparsedEncoder().format().clickhouseName(), writeId + UNPARSED_QUERY);
            } catch (RuntimeException e) {
                if (FailureClass.of(e) == FailureClass.TABLE_CHANGED && !ch.tableExists(database, table + "_unparsed")) {
                    throw new TableChanged("table " + describe() + "_unparsed is gone");
                }
                throw e;
            }
        }
    }

    /**
     * Makes sure no INSERT of these writes still runs: one the client timed out on may still be writing its
     * part, and rows that show up after a retry looked for them would be written twice.
     */
    public void awaitEnd(List<String> writeIds) {
        if (writeIds.isEmpty()) {
            return;
        }
        String ids = writeIds.stream().flatMap(id -> java.util.stream.Stream.of(id + TARGET_QUERY, id + UNPARSED_QUERY))
                .map(ClickHouse::quote).collect(Collectors.joining(", "));
        ch.execute("KILL QUERY WHERE query_id IN (" + ids + ") SYNC");
    }

    /**
     * The lines of these offset ranges already in the target or unparsed table, among the rows whose Kafka timestamp
     * is no older than {@code sinceMs} (0: all): a topic deleted and created again under the same name left rows at
     * the same offsets, all older than anything the new topic wrote. Compared in whole seconds (18.16's DateTime).
     */
    public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges, long sinceMs) {
        Set<RowKey> keys = new HashSet<>();
        if (ranges.isEmpty()) {
            return keys;
        }
        String where = ranges.entrySet().stream()
                .map(e -> "(_partition = " + e.getKey() + " AND _offset BETWEEN " + e.getValue().first() + " AND "
                        + e.getValue().last() + ")")
                .collect(Collectors.joining(" OR ", "_topic = " + ClickHouse.quote(topic) + " AND (", ")"))
                + (sinceMs > 0 ? " AND _timestamp >= toDateTime(" + sinceMs / 1000 + ")" : "");
        List<String> tables = new ArrayList<>(List.of(targetTable(), unparsedTable()));
        for (String t : tables) {
            for (String line : ch.queryText("SELECT _partition, _offset, _line FROM " + t + " WHERE " + where)
                    .split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t");
                keys.add(new RowKey(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2])));
            }
        }
        return keys;
    }

    public long count(String tableName) {
        return ch.queryLong("SELECT count() FROM " + tableName);
    }
}
