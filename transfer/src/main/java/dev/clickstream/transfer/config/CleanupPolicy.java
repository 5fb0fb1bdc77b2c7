package dev.clickstream.transfer.config;

/**
 * What happens to an existing target table when a transfer is activated for the first time (no delivery
 * history in ClickHouse yet). Restarts never clean up: they resume where the data ends.
 */
public enum CleanupPolicy {
    /** Keep the table and its rows. */
    DISABLED,
    /** Drop the target and unparsed tables and create them again from the schema. */
    DROP,
    /** Keep the tables, delete their rows. */
    TRUNCATE
}
