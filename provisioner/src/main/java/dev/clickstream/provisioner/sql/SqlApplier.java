package dev.clickstream.provisioner.sql;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ServerVersion;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the Kafka-engine template for one server and sends it statement by statement. The same code
 * serves `clickstream sql apply`, `clickstream demo` and the cloud path after Terraform.
 */
public final class SqlApplier {
    private final PrintWriter out;
    private final PrintWriter err;

    public SqlApplier(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
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

    /** Sends every statement, saying which one runs; a failure names the statement. */
    public void apply(ClickHouse ch, List<String> statements) {
        for (String statement : statements) {
            out.println("-- " + firstLine(statement));
            out.flush();
            try {
                ch.execute(statement);
            } catch (RuntimeException e) {
                throw new dev.clickstream.common.cli.UserFacingException(
                        "`" + firstLine(statement) + "` failed: " + e.getMessage(), e);
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
    public void warnWhenLegacyServerStalls(ClickHouse ch, ServerVersion version) {
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
