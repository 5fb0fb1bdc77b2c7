package dev.clickstream.transfer.it;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.transfer.TransferCommand;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What stops a transfer at start: one line that says what and where, and the right exit code. */
@WithLocalStack
class StartupErrorsIT {
    @TempDir
    Path dir;

    record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new TransferCommand());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        return new Run(cli.execute(args), err.toString());
    }

    private Path config(TestStack stack, String topic, String db, String target) {
        return TransferFixtures.config(dir, stack, topic, db, target, "");
    }

    @Test
    void an_unreachable_clickhouse_is_one_line_and_exit_1(TestStack stack) {
        int closed = Ports.freePort();
        Path cfg = config(stack, stack.newTopic("err", 1), "err_db",
                "  connection: {url: \"http://127.0.0.1:" + closed + "\", user: admin, password: x}\n");
        Run r = run("--config", cfg.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("error: cannot reach ClickHouse at http://127.0.0.1:" + closed
                + ": connection refused (is the server running?)", r.err().strip());
    }

    @Test
    void a_wrong_clickhouse_password_is_one_line_and_exit_1(TestStack stack) {
        Path cfg = config(stack, stack.newTopic("err", 1), "err_db", "  connection: {url: \""
                + stack.clickhouse().url() + "\", user: admin, password: wrong}\n");
        Run r = run("--config", cfg.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("error: ClickHouse at " + stack.clickhouse().url()
                + " refused the credentials of user 'admin'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void a_wrong_kafka_password_or_a_missing_topic_is_one_line_and_exit_1(TestStack stack) throws Exception {
        Path cfg = config(stack, stack.newTopic("err", 1), "err_db", "");
        String wrongAuth = Files.readString(cfg).replace("  group:", "  auth: {sasl: {user: admin, password: nope}}\n"
                + "  group:");
        Files.writeString(cfg, wrongAuth);
        Run r = run("--config", cfg.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("refused the credentials of user 'admin' (SCRAM-SHA-512)"), r.err());
        assertFalse(r.err().contains("nope"), "the password leaked");

        Run missing = run("--config", config(stack, "no-such-topic", "err_db", "").toString());
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("error: source.topic_name: topic 'no-such-topic' does not exist"),
                missing.err());
    }

    @Test
    void a_config_error_is_exit_2_and_names_the_field(TestStack stack) throws Exception {
        Path cfg = config(stack, "t", "err_db", "  cleanup_policy: SOMETIMES\n");
        Run r = run("--config", cfg.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: " + cfg + ": target.cleanup_policy: 'SOMETIMES'"), r.err());
        Run missing = run("--config", dir.resolve("nope.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.yaml: no such file"), missing.err());
        Run noConfig = run();
        assertEquals(2, noConfig.code());
        assertTrue(noConfig.err().contains("Missing required option: '--config=FILE'"), noConfig.err());
    }

    @Test
    void a_user_without_the_right_to_write_is_one_line_naming_the_table_and_the_grants(TestStack stack) {
        String db = stack.newDatabase("err_grant");
        String topic = stack.newTopic("err", 1);
        Path cfg = config(stack, topic, db, "  connection: {url: \"" + stack.clickhouse().url() + "\", user: reader,"
                + " password: \"" + stack.clickhouse().password() + "\"}\n");
        Run r = run("--config", cfg.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: cannot deliver to " + db + "." + topic.replace('-', '_') + ": ClickHouse at "
                + stack.clickhouse().url() + " answered: Code: 164"), r.err());
        assertTrue(r.err().contains("grant user 'reader' INSERT, SELECT, CREATE TABLE and ALTER on " + db), r.err());
    }

    @Test
    void an_existing_table_without_the_source_columns_stops_the_start(TestStack stack) {
        String db = stack.newDatabase("err_schema");
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + db + ".clicks (id UInt64) ENGINE = MergeTree() ORDER BY id");
        }
        Path cfg = config(stack, stack.newTopic("err", 1), db, "  table: clicks\n");
        Run r = run("--config", cfg.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("error: table " + db + ".clicks exists without the column(s) _rest, _topic,"
                + " _partition, _offset, _line, _timestamp the transfer needs to deliver exactly once"), r.err());
        assertTrue(r.err().contains("cleanup_policy: DROP"), r.err());
    }

    @Test
    void check_validates_everything_and_exits_0(TestStack stack) {
        Path cfg = config(stack, stack.newTopic("check", 1), stack.newDatabase("check"), "");
        Run r = run("--config", cfg.toString(), "--check", "--http-port", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("is valid; Kafka at"), r.err());
    }
}
