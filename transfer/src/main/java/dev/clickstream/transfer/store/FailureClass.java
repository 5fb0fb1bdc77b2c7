package dev.clickstream.transfer.store;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.clickhouse.ClickHouse.ClickHouseFailure;
import org.apache.kafka.common.errors.RetriableException;

import java.util.Locale;
import java.util.Set;

/**
 * The one classification of the failures a delivery meets, which the retry policy, {@code /status} and the
 * {@code write_errors_total} metric share. Codes are ClickHouse's own (src/Common/ErrorCodes.cpp).
 */
public enum FailureClass {
    /** The server is unreachable, slow or overloaded, or Kafka is moving a leader: wait and try again. */
    TRANSIENT,
    /** The table is not what the rows were encoded for (a column gone or retyped, the table dropped): read it again. */
    TABLE_CHANGED,
    /** The server refused some rows' values (a constraint, a value it cannot parse): retried, and shown as such. */
    ROW,
    /** Nothing another attempt fixes: the database is gone, the user lacks a grant or the password is wrong. */
    FATAL,
    /** Anything else the server answered with a code: retried, and shown as such. */
    UNKNOWN;

    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            3 /* UNEXPECTED_END_OF_FILE */, 32 /* ATTEMPT_TO_READ_AFTER_EOF */, 159 /* TIMEOUT_EXCEEDED */,
            202 /* TOO_MANY_SIMULTANEOUS_QUERIES */,
            209 /* SOCKET_TIMEOUT */, 210 /* NETWORK_ERROR */, 225 /* NO_ZOOKEEPER */, 236 /* ABORTED */,
            241 /* MEMORY_LIMIT_EXCEEDED */, 242 /* TABLE_IS_READ_ONLY: a replica without ZooKeeper */,
            252 /* TOO_MANY_PARTS */, 319 /* UNKNOWN_STATUS_OF_INSERT */, 394 /* QUERY_WAS_CANCELLED */,
            425 /* SYSTEM_ERROR */, 999 /* KEEPER_EXCEPTION */);
    private static final Set<Integer> TABLE_CHANGED_CODES = Set.of(
            8 /* THERE_IS_NO_COLUMN */, 10 /* NOT_FOUND_COLUMN_IN_BLOCK */, 16 /* NO_SUCH_COLUMN_IN_TABLE */,
            44 /* ILLEGAL_COLUMN */, 47 /* UNKNOWN_IDENTIFIER */, 53 /* TYPE_MISMATCH */, 60 /* UNKNOWN_TABLE */);
    private static final Set<Integer> ROW_CODES = Set.of(
            6 /* CANNOT_PARSE_TEXT */, 26 /* CANNOT_PARSE_QUOTED_STRING */, 27 /* CANNOT_PARSE_INPUT_ASSERTION_FAILED */,
            33 /* CANNOT_READ_ALL_DATA */, 38 /* CANNOT_PARSE_DATE */, 41 /* CANNOT_PARSE_DATETIME */,
            69 /* ARGUMENT_OUT_OF_BOUND */, 70 /* CANNOT_CONVERT_TYPE */, 72 /* CANNOT_PARSE_NUMBER */,
            117 /* INCORRECT_DATA */, 131 /* TOO_LARGE_STRING_SIZE */, 469 /* VIOLATED_CONSTRAINT */);
    private static final Set<Integer> FATAL_CODES = Set.of(
            81 /* UNKNOWN_DATABASE */, 164 /* READONLY */, 192 /* UNKNOWN_USER */, 193 /* WRONG_PASSWORD */,
            497 /* ACCESS_DENIED */, 516 /* AUTHENTICATION_FAILED */);

    public static FailureClass of(Throwable failure) {
        if (failure instanceof FatalFailure) {
            return FATAL;
        }
        if (failure instanceof TableChanged) {
            return TABLE_CHANGED;
        }
        if (failure instanceof RetriableException) {
            return TRANSIENT;
        }
        if (failure instanceof ClickHouseFailure cf) {
            return ofCode(cf.serverCode());
        }
        // Our own explanations of failures around ClickHouse (an interrupted call, a refused connection)
        return failure instanceof UserFacingException ? TRANSIENT : FATAL;
    }

    /**
     * True when the server was not reached at all: the connection was refused, or not made within the connect
     * timeout. Such a failure is {@link #TRANSIENT} like any unreachable server; it is told apart because then no
     * request of this attempt got to the server, and on a cluster the transfer may move to another replica of the
     * shard (see transfer/DESIGN.md, "Failing over to another replica"). A connection reset is not it: a kept-alive
     * connection the server closed long ago gives one too, from a server that is up; and neither is a read timeout,
     * from a server that is up but slow, or frozen with an INSERT it may still commit.
     */
    public static boolean unanswered(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException
                    || t instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
                return true;
            }
            if (t instanceof java.net.SocketTimeoutException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT)
                    .contains("connect timed out")) {
                return true;
            }
        }
        return false;
    }

    static FailureClass ofCode(int code) {
        if (code < 0 || TRANSIENT_CODES.contains(code)) {
            return TRANSIENT;
        }
        if (TABLE_CHANGED_CODES.contains(code)) {
            return TABLE_CHANGED;
        }
        if (ROW_CODES.contains(code)) {
            return ROW;
        }
        return FATAL_CODES.contains(code) ? FATAL : UNKNOWN;
    }

    /** True when another attempt may succeed (every class but FATAL). */
    public boolean retryable() {
        return this != FATAL;
    }

    /** The metric label and the word in /status: transient, table_changed, row, fatal, unknown. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What a person does about a fatal failure, by its ClickHouse code; empty when there is nothing to add. A refused
     * login (192, 193, 516) is explained where it happens, with the server and the user.
     */
    public static String fixFor(int code, String database, String user) {
        return switch (code) {
            case 81 -> "create the database (CREATE DATABASE " + database + ") or correct target.database";
            case 164, 497 -> "grant user '" + user + "' INSERT, SELECT, CREATE TABLE and ALTER on " + database
                    + ".* (on 18.16: a profile without readonly), or connect as a user that has them";
            default -> "";
        };
    }
}
