package dev.clickstream.common.clickhouse;

import dev.clickstream.common.error.UserFacingException;
import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.command.CommandSettings;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A ClickHouse connection over HTTP(S) through the clickhouse-java client (client-v2), limited to what
 * works on every server we support, 18.16 included: text formats only (18.16 cannot answer
 * RowBinaryWithNamesAndTypes) and no compressed responses (18.16 sends an empty body).
 */
public final class ClickHouse implements SqlSession, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofMinutes(5);
    private static final java.util.regex.Pattern CODE_IN_TEXT = java.util.regex.Pattern.compile("Code: (\\d+)");

    private final ClickHouseEndpoint endpoint;
    private final Client client;
    private ServerVersion version;

    private ClickHouse(ClickHouseEndpoint endpoint, Client client) {
        this.endpoint = endpoint;
        this.client = client;
    }

    public static ClickHouse connect(ClickHouseEndpoint endpoint) {
        return connect(endpoint, Duration.ofSeconds(10), DEFAULT_SOCKET_TIMEOUT);
    }

    public static ClickHouse connect(ClickHouseEndpoint endpoint, Duration connectTimeout, Duration socketTimeout) {
        Client.Builder b = new Client.Builder()
                .addEndpoint(endpoint.url())
                .setUsername(endpoint.user())
                .setPassword(endpoint.password() == null ? "" : endpoint.password())
                .setDefaultDatabase(endpoint.database() == null ? "default" : endpoint.database())
                .compressServerResponse(false)
                .compressClientRequest(false)
                .setConnectTimeout(connectTimeout.toMillis(), ChronoUnit.MILLIS)
                .setSocketTimeout(socketTimeout.toMillis(), ChronoUnit.MILLIS)
                .setMaxRetries(0)
                // Close with a reset, never a FIN: 18.16 takes a chunked INSERT body that ends with its connection,
                // last chunk missing, as complete. A SealedBody cannot end early that way, but a JSONEachRow insert
                // (the offset log's) is a plain body: cut by a reset, the server drops it.
                .setSocketLinger(0)
                .setClientName("clickstream");
        if (endpoint.caFile() != null && !endpoint.caFile().isBlank()) {
            b.setRootCertificate(endpoint.caFile());
        }
        try {
            return new ClickHouse(endpoint, b.build());
        } catch (RuntimeException e) {
            throw explain(e, endpoint);
        }
    }

    public ClickHouseEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public String location() {
        return endpoint.url();
    }

    /** The server version, asked once. Also the cheapest check that address and password are right. */
    @Override
    public ServerVersion version() {
        if (version == null) {
            version = ServerVersion.parse(queryText("SELECT version()").trim());
        }
        return version;
    }

    @Override
    public void execute(String sql, Map<String, String> settings) {
        CommandSettings s = new CommandSettings();
        settings.forEach(s::serverSetting);
        closeResponse(await(() -> client.execute(sql, s)));
    }

    /**
     * Runs a SELECT with server settings (sent as URL parameters: 18.16 ignores a SETTINGS clause for output
     * formats), e.g. {@code output_format_json_quote_64bit_integers=0} for counts as JSON numbers.
     */
    @Override
    public List<JsonNode> query(String sql, Map<String, String> settings) {
        QuerySettings s = new QuerySettings();
        settings.forEach(s::serverSetting);
        List<JsonNode> rows = new ArrayList<>();
        try (QueryResponse response = await(() -> client.query(sql + "\nFORMAT JSONEachRow", s));
             BufferedReader reader = new BufferedReader(
                     new InputStreamReader(response.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    rows.add(JSON.readTree(line));
                }
            }
        } catch (UserFacingException e) {
            throw e;
        } catch (Exception e) {
            throw explain(e, endpoint);
        }
        return rows;
    }

    @Override
    public String queryText(String sql) {
        try (QueryResponse response = await(() -> client.query(sql + "\nFORMAT TabSeparated", new QuerySettings()));
             InputStream in = response.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (UserFacingException e) {
            throw e;
        } catch (Exception e) {
            throw explain(e, endpoint);
        }
    }

    @Override
    public void insertJsonEachRow(String table, InputStream rows, Map<String, String> settings) {
        InsertSettings s = new InsertSettings();
        s.serverSetting("input_format_allow_errors_num", "0");
        s.serverSetting("input_format_allow_errors_ratio", "0");
        settings.forEach(s::serverSetting);
        closeResponse(await(() -> client.insert(table, rows, ClickHouseFormat.JSONEachRow, s)));
    }

    @Override
    public void insert(String table, List<String> columns, SealedBody rows, String format, String queryId) {
        InsertSettings s = new InsertSettings();
        insertSettings(version()).forEach(s::serverSetting);
        s.serverSetting("decompress", "1"); // the body is blocks of the server's compressed framing
        s.serverSetting("max_query_size", Integer.toString(SealedBody.REGISTERED_AFTER));
        s.setQueryId(queryId);
        ClickHouseFormat f = ClickHouseFormat.valueOf(format);
        List<String> quoted = columns.stream().map(ClickHouse::identifier).toList();
        closeResponse(await(() -> client.insert(table, quoted, rows.stream(), f, s)));
    }

    /**
     * The settings of a batch INSERT: the whole batch or nothing on a malformed row, and on servers that have them
     * no asynchronous inserts, whatever the user's profile says: an async INSERT is acknowledged before its rows
     * are in the table and outlives a KILL QUERY, and exactly once needs the rows there when the INSERT returns.
     */
    public static Map<String, String> insertSettings(ServerVersion version) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("input_format_allow_errors_num", "0");
        settings.put("input_format_allow_errors_ratio", "0");
        if (version.hasAsyncInsert()) {
            settings.put("async_insert", "0");
        }
        return settings;
    }

    /** A SQL string literal. */
    public static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A SQL identifier in back quotes. */
    public static String identifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    @Override
    public void close() {
        client.close();
    }

    private static void closeResponse(AutoCloseable response) {
        try {
            response.close();
        } catch (Exception ignored) {
            // the response body was read in full; nothing is lost by a failed close
        }
    }

    private interface Call<T> {
        Future<T> start() throws Exception;
    }

    private <T> T await(Call<T> call) {
        try {
            return call.start().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while talking to ClickHouse at " + endpoint.url(), e);
        } catch (ExecutionException e) {
            throw explain(e.getCause() == null ? e : e.getCause(), endpoint);
        } catch (Exception e) {
            throw explain(e, endpoint);
        }
    }

    /** The server's error code when the failure came from ClickHouse itself, else -1. */
    public static int serverCode(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ServerException se) {
                if (se.getCode() > 0 && se.getCode() != ServerException.CODE_UNKNOWN) {
                    return se.getCode();
                }
                // 18.16 sends no X-ClickHouse-Exception-Code header; the code is only in the text.
                java.util.regex.Matcher m = CODE_IN_TEXT.matcher(String.valueOf(se.getMessage()));
                return m.find() ? Integer.parseInt(m.group(1)) : se.getTransportProtocolCode() == 401 ? 193 : 0;
            }
            if (t instanceof ClickHouseFailure cf) {
                return cf.serverCode();
            }
        }
        return -1;
    }

    /** Turns a client failure into one line that says where and what. */
    public static UserFacingException explain(Throwable failure, ClickHouseEndpoint endpoint) {
        if (failure instanceof ClickHouseFailure cf) {
            return cf;
        }
        int code = serverCode(failure);
        if (code == 193 || code == 516 || code == 192) {
            return new ClickHouseFailure("ClickHouse at " + endpoint.url() + " refused the credentials of user '"
                    + endpoint.user() + "': check the password or the profile", code, failure);
        }
        if (code > 0) {
            return new ClickHouseFailure("ClickHouse at " + endpoint.url() + " answered: " + serverMessage(failure), code,
                    failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return new ClickHouseFailure("cannot reach ClickHouse at " + endpoint.url()
                        + ": connection refused (is the server running?)", -1, failure);
            }
            if (t instanceof UnknownHostException) {
                return new ClickHouseFailure("cannot reach ClickHouse at " + endpoint.url() + ": unknown host", -1, failure);
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return new ClickHouseFailure("TLS with ClickHouse at " + endpoint.url() + " failed: " + t.getMessage()
                        + " (check the CA file)", -1, failure);
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException) {
                return new ClickHouseFailure("ClickHouse at " + endpoint.url() + " did not answer in time", -1, failure);
            }
        }
        return new ClickHouseFailure("ClickHouse at " + endpoint.url() + ": " + serverMessage(failure), -1, failure);
    }

    private static String serverMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t && !(t instanceof ServerException)) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = message.indexOf('\n');
        message = nl < 0 ? message : message.substring(0, nl);
        int stack = message.indexOf(", Stack trace");
        return stack < 0 ? message : message.substring(0, stack);
    }

    /** A ClickHouse failure already explained for the user, keeping the server's error code for callers that retry. */
    public static final class ClickHouseFailure extends UserFacingException {
        private final int serverCode;

        ClickHouseFailure(String message, int serverCode, Throwable cause) {
            super(message, cause);
            this.serverCode = serverCode;
        }

        public int serverCode() {
            return serverCode;
        }
    }
}
