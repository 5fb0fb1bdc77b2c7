package dev.clickstream.transfer.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.common.cli.UserFacingException;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.Column;
import dev.clickstream.transfer.schema.TableLayout;

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
    private static final Pattern EVOLVABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final ClickHouse ch;
    private final String database;
    private final String table;
    private final String topic;

    public ClickHouseSink(ClickHouse ch, String database, String table, String topic) {
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

    public String describe() {
        return database + "." + table;
    }

    /** Applies the cleanup policy; only called on a first activation (no delivery history). */
    public void cleanUp(CleanupPolicy policy) {
        switch (policy) {
            case DROP -> {
                ch.execute("DROP TABLE IF EXISTS " + targetTable());
                ch.execute("DROP TABLE IF EXISTS " + unparsedTable());
            }
            case TRUNCATE -> {
                if (ch.tableExists(database, table)) {
                    ch.execute("TRUNCATE TABLE " + targetTable());
                }
                if (ch.tableExists(database, table + "_unparsed")) {
                    ch.execute("TRUNCATE TABLE " + unparsedTable());
                }
            }
            case DISABLED -> {
            }
        }
    }

    public void createDatabase() {
        ch.execute("CREATE DATABASE IF NOT EXISTS " + ClickHouse.identifier(database));
    }

    /**
     * Creates the tables when missing and checks an existing target has every column the schema needs.
     * With schema evolution, columns a previous run added come back into the layout.
     */
    public TableLayout prepare(TableLayout target, TableLayout unparsed, boolean schemaEvolution) {
        ch.execute(target.createTargetSql(database, table));
        ch.execute(unparsed.createUnparsedSql(database, table + "_unparsed"));
        Map<String, String> existing = columns(table);
        List<String> missing = target.columnNames().stream().filter(c -> !existing.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            throw new UserFacingException("table " + describe() + " exists without the column(s) "
                    + String.join(", ", missing) + " the schema needs: set target.cleanup_policy: DROP to recreate it "
                    + "on a first run, add them with ALTER TABLE, or name another table");
        }
        Map<String, String> unparsedColumns = columns(table + "_unparsed");
        List<String> missingUnparsed = unparsed.columnNames().stream().filter(c -> !unparsedColumns.containsKey(c))
                .toList();
        if (!missingUnparsed.isEmpty()) {
            throw new UserFacingException("table " + describe() + "_unparsed lacks the column(s) "
                    + String.join(", ", missingUnparsed) + ": drop it (it is recreated) or name another table");
        }
        TableLayout layout = target;
        if (schemaEvolution) {
            for (var e : existing.entrySet()) {
                if (layout.column(e.getKey()).isEmpty() && EVOLVABLE.matcher(e.getKey()).matches()) {
                    layout = layout.withEvolved(e.getKey(), fieldTypeOf(e.getValue()));
                }
            }
        }
        return layout;
    }

    /** Adds a column for a new top-level field (schema evolution); Nullable, so older rows read NULL. */
    public void addColumn(TableLayout layout, String name) {
        Column c = layout.column(name).orElseThrow();
        if (!columns(table).containsKey(name)) {
            ch.execute("ALTER TABLE " + targetTable() + " ADD COLUMN " + ClickHouse.identifier(name) + " "
                    + layout.clickhouseType(c));
        }
    }

    private Map<String, String> columns(String name) {
        Map<String, String> cols = new LinkedHashMap<>();
        for (JsonNode r : ch.query("SELECT name, type FROM system.columns WHERE database = " + ClickHouse.quote(database)
                + " AND table = " + ClickHouse.quote(name))) {
            cols.put(r.get("name").asText(), r.get("type").asText());
        }
        return cols;
    }

    static FieldType fieldTypeOf(String clickhouseType) {
        String t = clickhouseType.replaceFirst("^Nullable\\((.*)\\)$", "$1")
                .replaceFirst("^LowCardinality\\((.*)\\)$", "$1");
        return switch (t) {
            case "Int8" -> FieldType.INT8;
            case "Int16" -> FieldType.INT16;
            case "Int32" -> FieldType.INT32;
            case "Int64" -> FieldType.INT64;
            case "UInt8" -> FieldType.UINT8;
            case "UInt16" -> FieldType.UINT16;
            case "UInt32" -> FieldType.UINT32;
            case "UInt64" -> FieldType.UINT64;
            case "Float32", "Float64" -> FieldType.DOUBLE;
            case "Bool" -> FieldType.BOOLEAN;
            default -> t.startsWith("DateTime") ? FieldType.DATETIME : FieldType.ANY;
        };
    }

    /** Inserts the target rows, then the unparsed rows; either may be empty. */
    public void write(Batch batch, TableLayout target, TableLayout unparsed) {
        if (batch.targetRows() > 0) {
            ch.insert(targetTable(), target.columnNames(), batch.targetData(),
                    batch.targetEncoder().format().clickhouseName(), Map.of());
        }
        if (batch.unparsedRows() > 0) {
            ch.insert(unparsedTable(), unparsed.columnNames(), batch.unparsedData(),
                    batch.unparsedEncoder().format().clickhouseName(), Map.of());
        }
    }

    /** The lines of these offset ranges already in the target or unparsed table. */
    public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
        Set<RowKey> keys = new HashSet<>();
        if (ranges.isEmpty()) {
            return keys;
        }
        String where = ranges.entrySet().stream()
                .map(e -> "(_partition = " + e.getKey() + " AND _offset BETWEEN " + e.getValue().first() + " AND "
                        + e.getValue().last() + ")")
                .collect(Collectors.joining(" OR ", "_topic = " + ClickHouse.quote(topic) + " AND (", ")"));
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
