package dev.clickstream.common.clickhouse;

import dev.clickstream.common.error.UserFacingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * What the tools send to a ClickHouse: statements, SELECTs read as JSON or text, and inserts. {@link ClickHouse}
 * does it over HTTP; the tests run the same code through this interface on the ClickHouse 26.x engine in-process
 * (chDB), which has no HTTP server.
 */
public interface SqlSession {

    /** Where the statements go, for messages: a server's URL. */
    String location();

    /** The server version, asked once. */
    ServerVersion version();

    default void execute(String sql) {
        execute(sql, Map.of());
    }

    void execute(String sql, Map<String, String> settings);

    /** Runs a SELECT and returns its rows as JSON objects (64-bit integers may arrive as strings: use asText/asLong). */
    default List<JsonNode> query(String sql) {
        return query(sql, Map.of());
    }

    /** Runs a SELECT with server settings, e.g. {@code output_format_json_quote_64bit_integers=0}. */
    List<JsonNode> query(String sql, Map<String, String> settings);

    /** Runs a query and returns its TabSeparated output as text. */
    String queryText(String sql);

    default long queryLong(String sql) {
        String text = queryText(sql).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UserFacingException("expected a number from `" + sql + "`, got '" + text + "'");
        }
    }

    default boolean tableExists(String database, String table) {
        return queryLong("SELECT count() FROM system.tables WHERE database = " + ClickHouse.quote(database)
                + " AND name = " + ClickHouse.quote(table)) > 0;
    }

    /** The table's column names, in the table's order (none when it does not exist). */
    default List<String> columnNames(String database, String table) {
        return queryText("SELECT name FROM system.columns WHERE database = " + ClickHouse.quote(database)
                + " AND table = " + ClickHouse.quote(table)).lines().toList();
    }

    /** Inserts rows given as JSONEachRow; the server rejects the whole batch on any malformed row. */
    void insertJsonEachRow(String table, InputStream rows, Map<String, String> settings);

    /**
     * Inserts rows in {@code format} into the named columns; one call is one INSERT statement, which lands whole
     * or not at all, however its body breaks off. The query id lets a caller find (and kill) the INSERT in
     * system.processes when the client gave up waiting for it.
     */
    void insert(String table, List<String> columns, SealedBody rows, String format, String queryId);
}
