package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.ColumnType;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.TableChanged;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the target and its {@code _unparsed} table really have, read from {@code system.columns}: created when
 * missing, checked before each batch, and grown by schema evolution. A person may alter either table at any time,
 * so the layout the rows are encoded for is always the table's, never only the config's.
 */
final class TargetStructure {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    private static final Pattern EVOLVABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final SqlSession ch;
    private final String database;
    private final String table;
    private final Placement placement;

    TargetStructure(SqlSession ch, String database, String table, Placement placement) {
        this.ch = ch;
        this.database = database;
        this.table = table;
        this.placement = placement;
    }

    private String describe() {
        return database + "." + table;
    }

    /**
     * Creates the tables when missing and reads what the target really has: each field's column with the type the
     * table gives it now (a person may have altered it), fields whose column is gone or cannot be written left to
     * _rest or out. The columns exactly once needs (where each line came from) must be there. With schema
     * evolution, columns a previous run added come back into the layout.
     */
    TableLayout prepare(TableLayout target, TableLayout unparsed, boolean schemaEvolution) {
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
    void check(TableLayout layout) {
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
    TableLayout addColumn(TableLayout layout, String name, FieldType type) {
        ExistingColumn existing = columns(table).get(name);
        if (existing == null) {
            try {
                // No IF NOT EXISTS: 18.16 lacks it. Losing a race to another instance fails, and the re-read finds its column.
                ch.execute("ALTER TABLE " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(table)
                        + placement.onClusterClause() + " ADD COLUMN " + ClickHouse.identifier(name) + " "
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
}
