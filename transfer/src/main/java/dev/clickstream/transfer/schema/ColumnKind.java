package dev.clickstream.transfer.schema;

/** Where a column's value comes from. */
public enum ColumnKind {
    /** A field of the parser schema. */
    FIELD,
    /** A top-level field the schema did not name, made a column by schema evolution. */
    EVOLVED,
    /** Unknown fields as one JSON object (add_rest_column). */
    REST,
    /** Kafka coordinates and the Kafka timestamp of the message the line came from. */
    TOPIC, PARTITION, OFFSET, LINE, TIMESTAMP,
    /** The unparsed table's own columns. */
    RAW, REASON
}
