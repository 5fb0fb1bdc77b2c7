package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.provisioner.sql.KafkaEngineSql;
import dev.clickstream.provisioner.sql.SqlApplier;
import dev.clickstream.provisioner.sql.SqlApplyCommand;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Events tables made with the real DDL of each delivery path, filled directly with known events. */
public final class SeededTables {
    private SeededTables() {
    }

    /** The Kafka engine's storage table (the template's CREATE TABLE for this server), as database.events. */
    public static String engineTable(SqlSession ch, String database) {
        KafkaEngineSql sql = new KafkaEngineSql(database, KafkaEngineSql.DEFAULT_TABLE, "127.0.0.1:9", "unused",
                "unused", 1, 65536, null, null);
        String create = "CREATE TABLE IF NOT EXISTS " + database + "." + KafkaEngineSql.DEFAULT_TABLE;
        List<String> statements = SqlApplier.plan(KafkaEngineSql.TEMPLATE, SqlApplyCommand.bundled(KafkaEngineSql.TEMPLATE),
                sql, ch.version(), false);
        ch.execute(statements.stream().filter(s -> s.lines().findFirst().orElse("").strip().equals(create)).findFirst()
                .orElseThrow(() -> new AssertionError("no storage table in the template")));
        return database + "." + KafkaEngineSql.DEFAULT_TABLE;
    }

    /** The transfer's target table for the shipped transfer.yaml, as database.clickhouse_events. */
    public static String transferTable(SqlSession ch, String database) {
        TableLayout layout = TableLayout.target(ConfigLoader.load(Path.of("../transfer/transfer.yaml")), ch.version());
        ch.execute(layout.createTargetSql(database, "clickhouse_events"));
        return database + ".clickhouse_events";
    }

    public static void insert(SqlSession ch, String table, List<ClickEvent> events) {
        String lines = events.stream().map(ClickEventJson::toJson).collect(Collectors.joining("\n"));
        ch.insertJsonEachRow(table, new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)),
                Map.of("date_time_input_format", "best_effort"));
    }
}
