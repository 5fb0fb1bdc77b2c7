package dev.clickstream.transfer;

import dev.clickstream.common.cli.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `transfer --print-ddl --server-version V`: the CREATE statements for a config, with nothing contacted. */
class PrintDdlTest {
    record Run(int code, String out, String err) {
        /** The statements as printed: each ends in ';' and a blank line follows it. */
        List<String> statements() {
            return Arrays.stream(out.split(";\n\n")).map(String::strip).filter(s -> !s.isEmpty())
                    .map(s -> s.lines().filter(l -> !l.startsWith("--")).reduce((a, b) -> a + "\n" + b).orElse(""))
                    .toList();
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(new TransferCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    @Test
    void with_a_cluster_every_statement_runs_on_cluster_and_every_table_is_replicated(@org.junit.jupiter.api.io.TempDir
                                                                                      java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path config = dir.resolve("cluster.yaml");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(java.nio.file.Path.of("transfer.yaml"))
                .replace("\ntarget:\n", "\ntarget:\n  cluster: clickstream\n"));
        Run r = run("--config", config.toString(), "--print-ddl", "--server-version", "18.16");
        assertEquals(0, r.code(), r.err());
        List<String> statements = r.statements();
        assertEquals("CREATE DATABASE IF NOT EXISTS `default` ON CLUSTER 'clickstream'", statements.get(0));
        for (String table : List.of("clickhouse_events", "clickhouse_events_unparsed", "clickhouse_events_offsets")) {
            String create = statements.stream().filter(st -> st.startsWith("CREATE TABLE IF NOT EXISTS `default`.`"
                    + table + "` ON CLUSTER 'clickstream'\n(")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
            assertTrue(create.contains("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/default/" + table
                    + "', '{replica}')"), create);
        }
        assertEquals("CREATE TABLE IF NOT EXISTS `default`.`clickhouse_events_all` ON CLUSTER 'clickstream' AS"
                + " `default`.`clickhouse_events` ENGINE = Distributed('clickstream', 'default', 'clickhouse_events',"
                + " _partition)", statements.get(statements.size() - 1));
        assertTrue(r.out().contains("-- on a cluster of several shards, also"), r.out());
    }

    @Test
    void a_cluster_name_that_cannot_be_one_is_refused_with_its_path(@org.junit.jupiter.api.io.TempDir
                                                                     java.nio.file.Path dir) throws Exception {
        java.nio.file.Path config = dir.resolve("cluster.yaml");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(java.nio.file.Path.of("transfer.yaml"))
                .replace("\ntarget:\n", "\ntarget:\n  cluster: \"a'b\"\n"));
        Run r = run("--config", config.toString(), "--print-ddl", "--server-version", "18.16");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("target.cluster: 'a'b' is not a cluster name"), r.err());
    }

    @Test
    void prints_database_target_unparsed_and_offsets_for_a_modern_server() {
        Run r = run("--config", "transfer.yaml", "--print-ddl", "--server-version", "26.7.2.1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("-- clickstream transfer: tables for topic clickhouse-events on ClickHouse 26.7.2.1\n"),
                r.out());
        List<String> statements = r.statements();
        assertEquals(4, statements.size(), r.out());
        assertEquals("CREATE DATABASE IF NOT EXISTS `default`", statements.get(0));
        assertTrue(statements.get(1).startsWith("CREATE TABLE IF NOT EXISTS `default`.`clickhouse_events`\n("), r.out());
        assertTrue(statements.get(1).contains("    `user_ts` DateTime64(6, 'UTC'),\n"), r.out());
        assertTrue(statements.get(1).contains("    `device` LowCardinality(Nullable(String)),\n"), r.out());
        assertTrue(statements.get(1).contains("    `event_type` LowCardinality(String),\n"), r.out());
        assertTrue(statements.get(1).endsWith("ORDER BY (`event_type`, _partition, _offset, _line)"), r.out());
        assertTrue(statements.get(2).startsWith("CREATE TABLE IF NOT EXISTS `default`.`clickhouse_events_unparsed`"));
        assertTrue(statements.get(3).startsWith("CREATE TABLE IF NOT EXISTS `default`.`clickhouse_events_offsets`"));
        assertEquals("", r.err());
    }

    @Test
    void writes_what_18_16_understands_for_18_16() {
        Run r = run("--config", "transfer.yaml", "--print-ddl", "--server-version", "18.16.1");
        assertEquals(0, r.code(), r.err());
        String target = r.statements().get(1);
        assertTrue(target.contains("    `user_ts` DateTime('UTC'),\n"), target);
        assertTrue(target.contains("    `device` Nullable(String),\n"), target);
        assertFalse(target.contains("LowCardinality") || target.contains("DateTime64"), target);
    }

    @Test
    void a_bad_version_or_a_version_without_print_ddl_is_a_usage_error() {
        Run bad = run("--config", "transfer.yaml", "--print-ddl", "--server-version", "latest");
        assertEquals(2, bad.code(), bad.err());
        assertEquals("error: --server-version: not a ClickHouse version: 'latest'", bad.err().strip());
        Run alone = run("--config", "transfer.yaml", "--server-version", "25.8");
        assertEquals(2, alone.code(), alone.err());
        assertEquals("error: --server-version only goes with --print-ddl", alone.err().strip());
        assertEquals("", alone.out());
    }
}
