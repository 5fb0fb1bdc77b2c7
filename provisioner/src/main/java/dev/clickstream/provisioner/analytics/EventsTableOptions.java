package dev.clickstream.provisioner.analytics;

import picocli.CommandLine.Option;

/** {@code --table}, for the commands that read the events table. */
public class EventsTableOptions {
    @Option(names = "--table", paramLabel = "DATABASE.TABLE",
            description = "Events table (default: the transfer's table when it has rows, else the Kafka engine's).")
    String table;

    /** The table named by --table (checked to be DATABASE.TABLE), or null to choose one of the defaults. */
    public EventsTable given() {
        return table == null ? null : EventsTable.parse("--table", table);
    }

    /** As typed, for passing on to another process; null when not given. */
    public String text() {
        return table;
    }
}
