package dev.clickstream.transfer.store;

/**
 * The target table is not the one a batch was encoded for: a person altered or dropped it. The batch is not
 * written; the loop reads the table again and its partitions again from the offset log.
 */
public final class TableChanged extends RuntimeException {
    private final boolean tableGone;

    public TableChanged(String message) {
        this(message, false);
    }

    /** @param tableGone the target table was dropped: what was delivered into it went with it */
    public TableChanged(String message, boolean tableGone) {
        super(message, null, false, false);
        this.tableGone = tableGone;
    }

    public boolean tableGone() {
        return tableGone;
    }
}
