package dev.clickstream.transfer.schema;

import dev.clickstream.transfer.config.FieldType;

import java.util.List;

/**
 * One column of a table the transfer writes.
 *
 * @param path     for FIELD columns, where the value sits in the event (top-level name first)
 * @param required a line without a value for it is unparsed
 * @param key      leads the ORDER BY; Nullable only when null_keys_allowed lets it be missing
 */
public record Column(String name, ColumnKind kind, FieldType type, boolean nullable, boolean lowCardinality,
                     List<String> path, boolean required, boolean key) {

    public static Column system(String name, ColumnKind kind, FieldType type) {
        return new Column(name, kind, type, false, false, List.of(), false, false);
    }

    public String topLevelName() {
        return path.isEmpty() ? name : path.get(0);
    }

    /** A column fed by the event (a schema field or one schema evolution added), not by the transfer itself. */
    public boolean isField() {
        return kind == ColumnKind.FIELD || kind == ColumnKind.EVOLVED;
    }

    public boolean isNested() {
        return path.size() > 1;
    }
}
