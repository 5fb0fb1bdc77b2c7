package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;

import java.io.InputStream;
import java.util.List;

/**
 * A process that sends one INSERT whose RowBinary body of UInt64 values stops after 500,000 of them (one block of
 * the server's, fewer than max_insert_block_size) and never ends, until the process is killed.
 */
public final class EndlessInsert {
    private static final long SENT = 500_000L * Long.BYTES;

    private EndlessInsert() {
    }

    /** Stands still as a frozen writer would, body unfinished, until the process is killed. */
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
        InputStream endless = new InputStream() {
            private long n;

            @Override
            public int read() {
                return (int) (n++ & 0xFF);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (n >= SENT) {
                    stall();
                }
                int whole = (int) Math.min(len - len % Long.BYTES, SENT - n); // whole values: any cut falls between rows
                for (int i = 0; i < whole; i++) {
                    b[off + i] = (byte) (n++ & 0x7F);
                }
                return whole;
            }
        };
        try (ClickHouse ch = ClickHouse.connect(new ClickHouseEndpoint(args[0], args[1], args[2], "default", null))) {
            ch.insert(args[3], List.of("x"), endless, "RowBinary", args[4]);
        }
    }
}
