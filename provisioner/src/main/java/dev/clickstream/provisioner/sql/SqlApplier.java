package dev.clickstream.provisioner.sql;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ConnectionProfile;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the Kafka-engine template for one server and sends it statement by statement. The same code
 * serves `clickstream sql apply`, `clickstream demo` and `up --cloud` after Terraform.
 */
public final class SqlApplier {
    private final PrintWriter out;
    private final PrintWriter err;

    public SqlApplier(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** The bundled template with the profile's broker, topic and cluster and the default names. */
    public static KafkaEngineSql defaultsFor(ConnectionProfile profile, String externalQueue) {
        return new KafkaEngineSql(KafkaEngineSql.databaseFor(profile), KafkaEngineSql.DEFAULT_TABLE,
                profile.kafkaConnection().connectionString(), profile.topicOrDefault(), KafkaEngineSql.DEFAULT_GROUP, 1,
                65536, profile.clickhouseConnection().cluster(), externalQueue);
    }

    /** The statements for this server: the drops first when {@code drop}, then the template's. */
    public static List<String> plan(String templateName, String template, KafkaEngineSql sql, ServerVersion version,
                                    boolean drop) {
        List<String> statements = new ArrayList<>();
        if (drop) {
            statements.addAll(sql.dropStatements());
        }
        String rendered = SqlTemplate.render(templateName, template, sql.values(version), sql.conditions(version),
                KafkaEngineSql.CONDITIONS);
        statements.addAll(SqlTemplate.statements(rendered));
        return statements;
    }

    /**
     * Connects, plans for the server's version (or {@code versionOverride}) and sends or prints the statements;
     * ends with a summary of what now delivers where.
     */
    public void apply(ClickHouseEndpoint endpoint, KafkaEngineSql sql, String templateName, String template,
                      ServerVersion versionOverride, boolean drop, boolean dryRun) {
        try (ClickHouse ch = ClickHouse.connect(endpoint)) {
            ServerVersion version = versionOverride != null ? versionOverride : ch.version();
            List<String> statements = plan(templateName, template, sql, version, drop);
            if (dryRun) {
                print(statements);
                return;
            }
            send(ch, statements);
            warnWhenLegacyServerStalls(ch, version);
            out.println();
            out.println("Applied " + statements.size() + " statements for ClickHouse " + version + " ("
                    + (KafkaEngineSql.isModern(version) ? "modern: DateTime64, virtual columns" : "legacy: DateTime,"
                    + " kafka_row_delimiter") + (sql.conditions(version).contains("error_stream")
                    ? ", errors table " + sql.database() + "." + sql.errorsTable() : "") + ") at " + endpoint.url());
            out.println("  topic " + sql.topic() + " -> " + sql.queue() + " -> " + sql.view() + " -> "
                    + sql.database() + "." + sql.storageTable() + (sql.externalQueue() == null ? " (group " + sql.group()
                    + ")" : ""));
            out.flush();
        }
    }

    /** Sends every statement, saying which one runs; a failure names the statement. */
    public void send(SqlSession ch, List<String> statements) {
        for (String statement : statements) {
            out.println("-- " + firstLine(statement));
            out.flush();
            try {
                ch.execute(statement);
            } catch (RuntimeException e) {
                throw new UserFacingException("`" + firstLine(statement) + "` failed: " + e.getMessage(), e);
            }
        }
    }

    public void print(List<String> statements) {
        for (String statement : statements) {
            out.println(statement + ";");
            out.println();
        }
        out.flush();
    }

    /**
     * On servers without an error stream the Kafka engine only survives a malformed message when the
     * default profile tolerates input errors; say so when it does not.
     */
    void warnWhenLegacyServerStalls(ClickHouse ch, ServerVersion version) {
        if (KafkaEngineSql.isModern(version)) {
            return;
        }
        String num = ch.queryText("SELECT value FROM system.settings WHERE name = 'input_format_allow_errors_num'")
                .trim();
        if (num.isEmpty() || num.equals("0")) {
            err.println("warning: ClickHouse " + version + " has no Kafka error stream and its default profile does not"
                    + " set input_format_allow_errors_num/_ratio: one malformed message will stall the queue table."
                    + " Set both in the default profile and restart the server (`clickstream up` does this locally).");
            err.flush();
        }
    }

    static String firstLine(String statement) {
        String line = statement.lines().findFirst().orElse(statement).strip();
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }
}
