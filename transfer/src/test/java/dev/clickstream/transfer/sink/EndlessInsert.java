package dev.clickstream.transfer.sink;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.SealedBody;

import java.util.List;

/**
 * A process that sends one INSERT of 1,000,000 UInt64 values as a sealed body and stands still, as a frozen
 * writer would, once half of it is out (the server has registered the INSERT), until it is killed.
 */
public final class EndlessInsert {
    private static final int VALUES = 1_000_000;

    private EndlessInsert() {
    }

    /** Stands still, body unfinished, until the process is killed. */
    private static void stall() {
        Object never = new Object();
        synchronized (never) {
            while (true) {
                try {
                    never.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Arguments: url user password table query_id. */
    public static void main(String[] args) {
        ByteSink values = new ByteSink(VALUES * Long.BYTES);
        for (int i = 0; i < VALUES; i++) {
            values.writeLongLE(i);
        }
        // as the transfer seals a large batch: the first block ends one byte into the value past 256 KiB
        int firstBlock = (SealedBody.REGISTERED_AFTER / Long.BYTES + 1) * Long.BYTES + 1;
        SealedBody body = SealedBody.builder(firstBlock)
                .add(values.toByteArray(), 0, VALUES * Long.BYTES).seal().guardedBy(unsent -> {
            if (unsent < VALUES * Long.BYTES / 2) {
                stall();
            }
        });
        try (ClickHouse ch = ClickHouse.connect(new ClickHouseEndpoint(args[0], args[1], args[2], "default", null))) {
            ch.insert(args[3], List.of("x"), body, "RowBinary", args[4]);
        }
    }
}
