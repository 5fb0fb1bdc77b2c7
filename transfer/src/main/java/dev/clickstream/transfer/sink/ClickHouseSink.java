package dev.clickstream.transfer.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.common.cli.UserFacingException;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.ColumnType;
import dev.clickstream.transfer.schema.Placement;
import dev.clickstream.transfer.schema.TableLayout;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The ClickHouse side of a transfer: the target table, its {@code _unparsed} sibling, what is already in
 * them, and the inserts. One INSERT per table per batch.
 */
public final class ClickHouseSink {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    private static final String TARGET_QUERY = "-target";
    private static final String UNPARSED_QUERY = "-unparsed";
    private static final Pattern EVOLVABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final SqlSession ch;
    private final String database;
    private final String table;
    private final String topic;
    private final Placement placement;

    public ClickHouseSink(SqlSession ch, String database, String table, String topic) {
        this(ch, database, table, topic, Placement.SINGLE_SERVER);
    }

    public ClickHouseSink(SqlSession ch, String database, String table, String topic, Placement placement) {
        this.placement = placement;
        this.ch = ch;
        this.database = database;
        this.table = table;
        this.topic = topic;
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

    /**
     * Creates the tables when missing and reads what the target really has: each field's column with the type the
     * table gives it now (a person may have altered it), fields whose column is gone or cannot be written left to
     * _rest or out. The columns exactly once needs (where each line came from) must be there. With schema
     * evolution, columns a previous run added come back into the layout.
     */
    public TableLayout prepare(TableLayout target, TableLayout unparsed, boolean schemaEvolution) {
        if (!placement.onCluster() || !ch.tableExists(database, table)) {
            ch.execute(target.createTargetSql(database, table, placement));
        }
        if (!placement.onCluster() || !ch.tableExists(database, table + "_unparsed")) {
            ch.execute(unparsed.createUnparsedSql(database, table + "_unparsed", placement));
        }
        Map<String, ExistingColumn> existing = columns(table);
        List<String> missing = target.columns().stream().filter(c -> !c.isField() && !writable(existing.get(c.name())))
                .map(Column::name).toList();
        if (!missing.isEmpty()) {
            throw new UserFacingException("table " + describe() + " exists without the column(s) "
                    + String.join(", ", missing) + " the transfer needs to deliver exactly once: set "
                    + "target.cleanup_policy: DROP to recreate it on a first run, add them with ALTER TABLE, or name "
                    + "another table");
        }
        Map<String, ExistingColumn> unparsedColumns = columns(table + "_unparsed");
        List<String> missingUnparsed = unparsed.columnNames().stream().filter(c -> !unparsedColumns.containsKey(c))
                .toList();
        if (!missingUnparsed.isEmpty()) {
            throw new UserFacingException("table " + describe() + "_unparsed lacks the column(s) "
                    + String.join(", ", missingUnparsed) + ": drop it (it is recreated) or name another table");
        }
        TableLayout layout = target;
        if (schemaEvolution) {
            for (ExistingColumn c : existing.values()) {
                if (layout.canEvolve(c.name()) && EVOLVABLE.matcher(c.name()).matches()) {
                    layout = adopt(layout, c);
                }
            }
        }
        for (Column c : List.copyOf(layout.columns())) {
            ExistingColumn e = existing.get(c.name());
            if (c.isField() && !writable(e)) {
                LOG.warn("column {} of {} {}: field {} {}", c.name(), describe(),
                        e == null ? "is gone" : "is " + e.type() + (e.defaultKind().isEmpty() ? "" : " " + e.defaultKind())
                                + ", which the transfer cannot write",
                        c.topLevelName(), layout.indexOf(ColumnKind.REST) >= 0 ? "goes to _rest"
                                : "is left out (counted in clickstream_transfer_dropped_values_total)");
                layout = layout.withoutColumn(c.name());
            }
        }
        Map<String, String> types = new LinkedHashMap<>();
        existing.values().forEach(e -> types.put(e.name(), e.type()));
        TableLayout typed = layout.withTableTypes(types);
        for (int i = 0; i < typed.columns().size(); i++) {
            if (!typed.tableType(i).text().equals(layout.tableType(i).text())) {
                LOG.warn("column {} of {} is {} (the transfer creates it as {}): values are converted where they fit"
                        + " and their lines go to {}_unparsed where they do not", typed.columns().get(i).name(), describe(),
                        typed.tableType(i).text(), layout.tableType(i).text(), table);
            }
        }
        return typed;
    }

    private static boolean writable(ExistingColumn c) {
        return c != null && (c.defaultKind().isEmpty() || c.defaultKind().equals("DEFAULT"))
                && ColumnType.parse(c.type()).writable();
    }

    /**
     * Throws {@link TableChanged} unless the target still has every column of the layout with the type the rows
     * were encoded for. Run before each batch is logged: a RowBinary row encoded for a UInt64 that a person made a
     * Float64 would otherwise land as a wrong number, silently.
     */
    public void checkStructure(TableLayout layout) {
        Map<String, ExistingColumn> existing = columns(table);
        for (int i = 0; i < layout.columns().size(); i++) {
            Column c = layout.columns().get(i);
            ExistingColumn e = existing.get(c.name());
            if (e == null) {
                throw existing.isEmpty() ? new TableChanged("table " + describe() + " is gone", true)
                        : new TableChanged("column " + c.name() + " is gone from " + describe());
            }
            if (!e.type().equals(layout.tableType(i).text()) || !writable(e)) {
                throw new TableChanged("column " + c.name() + " of " + describe() + " is now " + e.type()
                        + (e.defaultKind().isEmpty() ? "" : " " + e.defaultKind()) + " (was "
                        + layout.tableType(i).text() + ")");
            }
        }
    }

    /**
     * Adds a column for a new top-level field (schema evolution); Nullable, so older rows read NULL. When the
     * column exists already (another instance added it, or a person did), the layout takes it as it is.
     */
    public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        ExistingColumn existing = columns(table).get(name);
        if (existing == null) {
            try {
                // No IF NOT EXISTS: 18.16 lacks it. Losing a race to another instance fails, and the re-read finds its column.
                ch.execute("ALTER TABLE " + targetTable() + placement.onClusterClause() + " ADD COLUMN " + ClickHouse.identifier(name) + " "
                        + layout.evolvedType(type));
            } catch (UserFacingException e) {
                if (!columns(table).containsKey(name)) {
                    throw e;
                }
            }
            existing = columns(table).get(name);
        }
        return adopt(layout, existing);
    }

    /**
     * A column the table already has joins the layout when the transfer writes its type exactly as it is;
     * otherwise (say Float32, a non-Nullable or a MATERIALIZED column) its field stays in _rest.
     */
    private TableLayout adopt(TableLayout layout, ExistingColumn c) {
        FieldType type = fieldTypeOf(c.type());
        boolean writable = c.defaultKind().isEmpty() || c.defaultKind().equals("DEFAULT");
        if (writable && layout.evolvedType(type).equals(c.type())) {
            LOG.info("schema evolution: column {} {} in {}", c.name(), c.type(), describe());
            return layout.withEvolved(c.name(), type);
        }
        LOG.warn("schema evolution: {} has column {} {}{}, which the transfer cannot fill; field {} stays in _rest",
                describe(), c.name(), c.type(), c.defaultKind().isEmpty() ? "" : " " + c.defaultKind(), c.name());
        return layout.withKeptInRest(c.name());
    }

    private record ExistingColumn(String name, String type, String defaultKind) {
    }

    private Map<String, ExistingColumn> columns(String name) {
        Map<String, ExistingColumn> cols = new LinkedHashMap<>();
        for (JsonNode r : ch.query("SELECT name, type, default_kind FROM system.columns WHERE database = "
                + ClickHouse.quote(database) + " AND table = " + ClickHouse.quote(name))) {
            String n = r.get("name").asText();
            cols.put(n, new ExistingColumn(n, r.get("type").asText(), r.get("default_kind").asText()));
        }
        return cols;
    }

    /** The field type that writes a column of this ClickHouse type (read by {@link ColumnType}). */
    static FieldType fieldTypeOf(String clickhouseType) {
        return switch (ColumnType.parse(clickhouseType).base()) {
            case INT8 -> FieldType.INT8;
            case INT16 -> FieldType.INT16;
            case INT32 -> FieldType.INT32;
            case INT64 -> FieldType.INT64;
            case UINT8 -> FieldType.UINT8;
            case UINT16 -> FieldType.UINT16;
            case UINT32 -> FieldType.UINT32;
            case UINT64 -> FieldType.UINT64;
            case FLOAT32, FLOAT64 -> FieldType.DOUBLE;
            case BOOL -> FieldType.BOOLEAN;
            case STRING -> FieldType.STRING;
            case DATETIME, DATETIME64 -> FieldType.DATETIME;
            case DATE, OTHER -> FieldType.ANY;
        };
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
