package dev.clickstream.transfer.schema;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.config.TransferConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The columns of the target or unparsed table, in insert order, with their ClickHouse types for one
 * server version: DateTime64 and LowCardinality on modern servers, DateTime and String on 18.16.
 * No PARTITION BY: a partition key would split every batch into a part per partition.
 */
public final class TableLayout {
    public static final String REST = "_rest";

    private final List<Column> columns;
    /** Each column's type in the table, as the server states it; until the table is read, the type it is created with. */
    private final List<ColumnType> tableTypes;
    private final ServerVersion version;
    /** Top-level fields schema evolution must not add: the table has a column of that name it cannot fill. */
    private final Set<String> keptInRest;
    /** Top-level names of fields whose column is gone from the table (or has a type the transfer cannot write). */
    private final Set<String> gone;

    private TableLayout(List<Column> columns, ServerVersion version, Set<String> keptInRest) {
        this.columns = List.copyOf(columns);
        this.version = version;
        this.keptInRest = Set.copyOf(keptInRest);
        this.gone = Set.of();
        this.tableTypes = columns.stream().map(c -> ColumnType.parse(clickhouseType(c))).toList();
    }

    private TableLayout(List<Column> columns, List<ColumnType> tableTypes, ServerVersion version,
                        Set<String> keptInRest, Set<String> gone) {
        this.columns = List.copyOf(columns);
        this.tableTypes = List.copyOf(tableTypes);
        this.version = version;
        this.keptInRest = Set.copyOf(keptInRest);
        this.gone = Set.copyOf(gone);
    }

    /** The target table: schema fields, then _rest, then where each line came from. */
    public static TableLayout target(TransferConfig config, ServerVersion version) {
        TransferConfig.Json json = config.source().parser().json();
        List<Column> cols = new ArrayList<>();
        for (TransferConfig.Field f : json.schema().fields()) {
            // a key that may be missing is NULL when missing: a 0 would collide with a real 0
            boolean nullable = !f.isRequired() && (!f.isKey() || json.nullKeysAllowedOrDefault());
            cols.add(new Column(f.name(), ColumnKind.FIELD, f.fieldType(), nullable, f.isLowCardinality(),
                    f.pathParts(), f.isRequired(), f.isKey()));
        }
        if (json.addRestColumnOrDefault()) {
            cols.add(Column.system(REST, ColumnKind.REST, FieldType.STRING));
        }
        cols.addAll(sourceColumns());
        return new TableLayout(cols, version, Set.of());
    }

    /** The unparsed table: where the line came from, the line itself and why it failed. */
    public static TableLayout unparsed(ServerVersion version) {
        List<Column> cols = new ArrayList<>(sourceColumns());
        cols.add(Column.system("raw", ColumnKind.RAW, FieldType.STRING));
        cols.add(Column.system("reason", ColumnKind.REASON, FieldType.STRING));
        return new TableLayout(cols, version, Set.of());
    }

    private static List<Column> sourceColumns() {
        return List.of(
                new Column("_topic", ColumnKind.TOPIC, FieldType.STRING, false, true, List.of(), false, false),
                Column.system("_partition", ColumnKind.PARTITION, FieldType.UINT32),
                Column.system("_offset", ColumnKind.OFFSET, FieldType.UINT64),
                Column.system("_line", ColumnKind.LINE, FieldType.UINT32),
                Column.system("_timestamp", ColumnKind.TIMESTAMP, FieldType.DATETIME));
    }

    /** A new layout with an evolved column added before _rest (or before the source columns). */
    public TableLayout withEvolved(String name, FieldType type) {
        List<Column> cols = new ArrayList<>(columns);
        List<ColumnType> types = new ArrayList<>(tableTypes);
        int at = indexOfFirst(ColumnKind.REST).orElseGet(() -> indexOfFirst(ColumnKind.TOPIC).orElse(cols.size()));
        Column c = evolvedColumn(name, type);
        cols.add(at, c);
        types.add(at, ColumnType.parse(clickhouseType(c)));
        return new TableLayout(cols, types, version, keptInRest, gone);
    }

    /** This layout with each column's type as the table has it ({@code system.columns}: name to type). */
    public TableLayout withTableTypes(java.util.Map<String, String> typesByName) {
        List<ColumnType> types = new ArrayList<>(tableTypes);
        for (int i = 0; i < columns.size(); i++) {
            String actual = typesByName.get(columns.get(i).name());
            if (actual != null) {
                types.set(i, ColumnType.parse(actual));
            }
        }
        return new TableLayout(columns, types, version, keptInRest, gone);
    }

    /**
     * This layout without a field's column, which is gone from the table or cannot be written: its field goes to
     * _rest when there is one (and is never added back by schema evolution), else it is left out.
     */
    public TableLayout withoutColumn(String name) {
        List<Column> cols = new ArrayList<>();
        List<ColumnType> types = new ArrayList<>();
        Set<String> kept = new HashSet<>(keptInRest);
        Set<String> goneNames = new HashSet<>(gone);
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.name().equals(name)) {
                kept.add(c.topLevelName());
                goneNames.add(c.topLevelName());
            } else {
                cols.add(c);
                types.add(tableTypes.get(i));
            }
        }
        // A top-level name another column still reads is not gone: its value is still written.
        cols.forEach(c -> goneNames.remove(c.topLevelName()));
        return new TableLayout(cols, types, version, kept, goneNames);
    }

    /** The type column {@code i} has in the table. */
    public ColumnType tableType(int i) {
        return tableTypes.get(i);
    }

    /** Top-level fields whose column is gone: with no _rest column, their values are left out and counted. */
    public Set<String> goneFields() {
        return gone;
    }

    private static Column evolvedColumn(String name, FieldType type) {
        return new Column(name, ColumnKind.EVOLVED, type, true, false, List.of(name), false, false);
    }

    /** The type schema evolution gives a column of this field type, e.g. Nullable(Int64). */
    public String evolvedType(FieldType type) {
        return clickhouseType(evolvedColumn("", type));
    }

    /** A new layout in which this top-level field stays in _rest, even with schema evolution on. */
    public TableLayout withKeptInRest(String name) {
        Set<String> kept = new HashSet<>(keptInRest);
        kept.add(name);
        return new TableLayout(columns, tableTypes, version, kept, gone);
    }

    /**
     * True when schema evolution may add a column for this top-level field: no column has its name (a nested
     * field's column may, as user_id for user.id does) and the table has none it cannot fill.
     */
    public boolean canEvolve(String name) {
        return !keptInRest.contains(name) && column(name).isEmpty();
    }

    private Optional<Integer> indexOfFirst(ColumnKind kind) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).kind() == kind) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** Position of the first column of a kind, or -1. */
    public int indexOf(ColumnKind kind) {
        return indexOfFirst(kind).orElse(-1);
    }

    public List<Column> columns() {
        return columns;
    }

    public ServerVersion version() {
        return version;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** DateTime64(6) keeps microseconds; 18.16's DateTime keeps seconds. */
    public boolean hasMicroseconds() {
        return version.hasDateTime64();
    }

    public boolean boolIsNative() {
        return version.atLeast(21, 12);
    }

    public String clickhouseType(Column c) {
        String base = switch (c.type()) {
            case INT8 -> "Int8";
            case INT16 -> "Int16";
            case INT32 -> "Int32";
            case INT64 -> "Int64";
            case UINT8 -> "UInt8";
            case UINT16 -> "UInt16";
            case UINT32 -> "UInt32";
            case UINT64 -> "UInt64";
            case DOUBLE -> "Float64";
            case BOOLEAN -> boolIsNative() ? "Bool" : "UInt8";
            case STRING, UTF8, ANY -> "String";
            case DATETIME -> c.kind() == ColumnKind.TIMESTAMP
                    ? (version.hasDateTime64() ? "DateTime64(3, 'UTC')" : "DateTime('UTC')")
                    : (version.hasDateTime64() ? "DateTime64(6, 'UTC')" : "DateTime('UTC')");
        };
        String typed = c.nullable() ? "Nullable(" + base + ")" : base;
        // LowCardinality wraps Nullable, never the reverse: modern servers refuse Nullable(LowCardinality(String)).
        return c.lowCardinality() && base.equals("String") && version.hasLowCardinality()
                ? "LowCardinality(" + typed + ")" : typed;
    }

    /**
     * CREATE TABLE for the target: key columns lead the ORDER BY, then the Kafka coordinates. A Nullable key (a key
     * that null_keys_allowed lets be missing) needs {@code allow_nullable_key} from 20.8 on; 18.16 has no such
     * setting and refuses a Nullable sorting key (Code 44), but takes {@code assumeNotNull(key)}, whose index
     * serves {@code WHERE assumeNotNull(key) = …} (a plain {@code key = …} reads the whole table there).
     */
    public String createTargetSql(String database, String table) {
        return createTargetSql(database, table, Placement.SINGLE_SERVER);
    }

    public String createTargetSql(String database, String table, Placement placement) {
        List<String> order = new ArrayList<>();
        boolean nullableKey = false;
        for (Column c : columns) {
            if (c.key()) {
                String name = ClickHouse.identifier(c.name());
                nullableKey |= c.nullable();
                order.add(c.nullable() && !hasNullableKeys() ? "assumeNotNull(" + name + ")" : name);
            }
        }
        order.addAll(List.of("_partition", "_offset", "_line"));
        String settings = nullableKey && hasNullableKeys() ? "\nSETTINGS allow_nullable_key = 1" : "";
        return create(database, table, order, placement) + settings;
    }

    /** The server takes a Nullable column in the sorting key (with allow_nullable_key). */
    private boolean hasNullableKeys() {
        return version.atLeast(20, 8);
    }

    public String createUnparsedSql(String database, String table, Placement placement) {
        return create(database, table, List.of("_topic", "_partition", "_offset", "_line"), placement);
    }

    private String create(String database, String table, List<String> orderBy, Placement placement) {
        String cols = columns.stream().map(c -> "    " + ClickHouse.identifier(c.name()) + " " + clickhouseType(c))
                .collect(Collectors.joining(",\n"));
        return "CREATE TABLE IF NOT EXISTS " + Placement.qualified(database, table) + placement.onClusterClause()
                + "\n(\n" + cols + "\n)\nENGINE = " + placement.engine(database, table) + "\nORDER BY ("
                + String.join(", ", orderBy) + ")";
    }
}
