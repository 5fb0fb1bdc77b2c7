package dev.clickstream.transfer.offsets;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.destination.TargetTable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Who applies the cleanup policy when several instances start a first activation together: the one whose
 * {@code CREATE TABLE} of the topic's claim table succeeds (a table either exists or not, on one server). It cleans
 * and marks the claim done; the others wait for that mark before they create their tables and write, so no
 * cleanup can remove rows another instance has written.
 */
public final class CleanupClaim {
    private static final int TABLE_ALREADY_EXISTS = 57;

    private final SqlSession ch;
    private final String table;
    private final String instance;

    public CleanupClaim(SqlSession ch, TargetTable target, String instance) {
        this.ch = ch;
        this.table = ClickHouse.identifier(target.database()) + "." + ClickHouse.identifier(target.table() + "_cleanup_"
                + shortHash(target.topic()));
        this.instance = instance;
    }

    public String table() {
        return table;
    }

    /** True when this instance won the claim and must clean; false when another one has it. */
    public boolean tryClaim() {
        try {
            ch.execute("CREATE TABLE " + table + " (instance String, done UInt8) ENGINE = MergeTree() ORDER BY tuple()");
            return true;
        } catch (UserFacingException e) {
            if (ClickHouse.serverCode(e) == TABLE_ALREADY_EXISTS || String.valueOf(e.getMessage()).contains("already exists")) {
                return false;
            }
            throw e;
        }
    }

    /** The cleanup is over: the instances waiting for it go on. */
    public void done() {
        ch.execute("INSERT INTO " + table + " (instance, done) VALUES (" + ClickHouse.quote(instance) + ", 1)");
    }

    /** Waits for the winner's cleanup; an error that says what to do when it never comes (the winner died). */
    public void awaitDone(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        boolean done = isDone();
        while (!done && System.nanoTime() < end) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserFacingException("interrupted while waiting for the cleanup of " + table, e);
            }
            done = isDone();
        }
        if (!done) {
            throw new UserFacingException("another instance claimed the first activation's cleanup (" + table
                    + ") and did not finish it within " + timeout.toSeconds() + " s; if it died, drop " + table
                    + " and start again");
        }
    }

    private boolean isDone() {
        return ch.queryLong("SELECT count() FROM " + table + " WHERE done = 1") > 0;
    }

    private static String shortHash(String topic) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(topic.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
