package dev.clickstream.testsupport.chdb;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SealedBody;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A session on the ClickHouse 26.x engine in this JVM (chDB's libchdb.so, through JNA), with its data in a temp
 * folder this object owns and deletes on close. ClickHouse's own parser, analyzer, MergeTree, formats and Kafka
 * engine, without its HTTP server: the tests send the project's SQL and encoded rows through {@link SqlSession}
 * exactly as they go to a server. Inserts go through a file ({@code INSERT ... FROM INFILE}).
 *
 * <p>chDB allows one open session per process; open the next after closing this one. The test JVM must run with
 * the JDK's signal chaining ({@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}, which the build's failsafe
 * configuration sets): chDB installs its own SIGSEGV handler, which the JVM needs for its null checks.
 */
public final class ChdbSession implements SqlSession, AutoCloseable {
    /** Where the build says libchdb.so is (the parent pom sets it for the integration tests). */
    public static final String LIBRARY_PROPERTY = "clickstream.chdb.lib";
    private static final String INSTALL_HINT = "./run-tests installs it (npm install --no-save --prefix test-support/chdb)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LibChdb library;

    private final Path dir;
    private final Pointer handle;
    private final Pointer connection;
    private final AtomicLong files = new AtomicLong();
    private ServerVersion version;
    private boolean closed;

    private ChdbSession(Path dir, Pointer handle) {
        this.dir = dir;
        this.handle = handle;
        this.connection = handle.getPointer(0);
    }

    /**
     * Opens a session in a new temp folder. A missing library or missing signal chaining is an error with a
     * one-line reason: tests on the modern engine never skip.
     */
    public static synchronized ChdbSession open() {
        LibChdb lib = library();
        Path dir;
        try {
            dir = Files.createTempDirectory("clickstream-chdb-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Pointer handle = lib.chdb_connect(2, new String[] {"clickhouse", "--path=" + dir.resolve("data")});
        if (handle == null || handle.getPointer(0) == null) {
            deleteTree(dir);
            throw new IllegalStateException("chDB refused a session (chdb_connect returned NULL): is another one open in"
                    + " this JVM? Close it first");
        }
        return new ChdbSession(dir, handle);
    }

    private static LibChdb library() {
        if (library != null) {
            return library;
        }
        String path = System.getProperty(LIBRARY_PROPERTY);
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("system property " + LIBRARY_PROPERTY + " is not set: run the tests through"
                    + " Maven (./run-tests), whose failsafe configuration points it at libchdb.so");
        }
        if (!Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("the ClickHouse 26.x engine (chDB) is not installed at " + path + ": "
                    + INSTALL_HINT);
        }
        String preload = System.getenv("LD_PRELOAD");
        if (preload == null || !preload.contains("libjsig")) {
            throw new IllegalStateException("this JVM runs without the JDK's signal chaining, and chDB would hang it at"
                    + " its first NullPointerException: start it with LD_PRELOAD=$JAVA_HOME/lib/libjsig.so");
        }
        library = Native.load(path, LibChdb.class);
        return library;
    }

    /** The folder this session owns: its data, and files to insert from. */
    public Path dir() {
        return dir;
    }

    /** Runs one statement or query and returns its output in {@code format}; a ClickHouse error throws. */
    public synchronized String run(String sql, String format) {
        if (closed) {
            throw new IllegalStateException("chDB session is closed");
        }
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        byte[] f = format.getBytes(StandardCharsets.UTF_8);
        Pointer result = library.chdb_query_n(connection, q, q.length, f, f.length);
        if (result == null) {
            throw new UserFacingException("chDB returned no result for `" + firstLine(sql) + "`");
        }
        try {
            String error = library.chdb_result_error(result);
            if (error != null && !error.isEmpty()) {
                throw new UserFacingException("ClickHouse " + describeVersion() + " (chDB) refused `" + firstLine(sql)
                        + "`: " + error.strip());
            }
            long length = library.chdb_result_length(result);
            Pointer buffer = library.chdb_result_buffer(result);
            if (length == 0 || buffer == null) {
                return "";
            }
            return new String(buffer.getByteArray(0, Math.toIntExact(length)), StandardCharsets.UTF_8);
        } finally {
            library.chdb_destroy_query_result(result);
        }
    }

    private String describeVersion() {
        return version == null ? "26.x" : version.toString();
    }

    @Override
    public String location() {
        return "chDB " + dir;
    }

    @Override
    public ServerVersion version() {
        if (version == null) {
            version = ServerVersion.parse(run("SELECT version()", "TabSeparated").trim());
        }
        return version;
    }

    @Override
    public void execute(String sql, Map<String, String> settings) {
        run(sql + settingsClause(settings), "TabSeparated");
    }

    @Override
    public List<JsonNode> query(String sql, Map<String, String> settings) {
        String out = run(sql + settingsClause(settings), "JSONEachRow");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                try {
                    rows.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not JSON from chDB: " + line, e);
                }
            }
        }
        return rows;
    }

    @Override
    public String queryText(String sql) {
        return run(sql, "TabSeparated");
    }

    /** All rows of a query as lines of TabSeparated text. */
    public List<String> lines(String sql) {
        return queryText(sql).lines().toList();
    }

    @Override
    public void insertJsonEachRow(String table, InputStream rows, Map<String, String> settings) {
        insertFile(table, List.of(), rows, "JSONEachRow", settings);
    }

    /** With the settings the HTTP client sends for a batch INSERT, so the engine checks them too. */
    @Override
    public void insert(String table, List<String> columns, SealedBody rows, String format, String queryId) {
        insertFile(table, columns, rows.rows(), format, ClickHouse.insertSettings(version()));
    }

    /** One INSERT statement reading the rows from a file of this session's folder. */
    public void insertFile(String table, List<String> columns, InputStream rows, String format,
                           Map<String, String> settings) {
        Path file = dir.resolve("insert-" + files.incrementAndGet() + "." + format);
        try {
            Files.copy(rows, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String cols = columns.isEmpty() ? ""
                : columns.stream().map(ClickHouse::identifier).collect(Collectors.joining(", ", " (", ")"));
        try {
            run("INSERT INTO " + table + cols + " FROM INFILE " + ClickHouse.quote(file.toString())
                    + settingsClause(settings) + " FORMAT " + format, "TabSeparated");
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the folder goes on close
            }
        }
    }

    private static String settingsClause(Map<String, String> settings) {
        if (settings.isEmpty()) {
            return "";
        }
        return settings.entrySet().stream().map(e -> e.getKey() + " = " + ClickHouse.quote(e.getValue()))
                .collect(Collectors.joining(", ", "\nSETTINGS ", ""));
    }

    private static String firstLine(String sql) {
        String line = sql.strip().lines().findFirst().orElse("");
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }

    /** Ends the session (and any Kafka table's background consumption) and deletes its folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        library.chdb_close_conn(handle);
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
