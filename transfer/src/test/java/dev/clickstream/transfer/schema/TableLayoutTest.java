package dev.clickstream.transfer.schema;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.TransferConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableLayoutTest {
    private static final TransferConfig SAMPLE = ConfigLoader.load(Path.of("transfer.yaml"));

    @Test
    void modern_servers_get_datetime64_lowcardinality_and_bool() {
        TableLayout t = TableLayout.target(SAMPLE, ServerVersion.parse("25.8.1"));
        String ddl = t.createTargetSql("default", "clickhouse_events");
        assertTrue(ddl.contains("`user_ts` DateTime64(6, 'UTC')"), ddl);
        assertTrue(ddl.contains("`event_type` LowCardinality(String)"), ddl);
        assertTrue(ddl.contains("`_timestamp` DateTime64(3, 'UTC')"), ddl);
        assertTrue(ddl.contains("`price` Nullable(Float64)"), ddl);
        assertTrue(ddl.contains("ORDER BY (`event_type`, _partition, _offset, _line)"), ddl);
        assertFalse(ddl.contains("PARTITION BY"), "a partition key would split every batch into a part per partition: " + ddl);
    }

    @Test
    void debian_18_16_gets_datetime_and_plain_strings() {
        TableLayout t = TableLayout.target(SAMPLE, ServerVersion.parse("18.16.1"));
        String ddl = t.createTargetSql("default", "e");
        assertTrue(ddl.contains("`user_ts` DateTime('UTC')"), ddl);
        assertTrue(ddl.contains("`event_type` String"), ddl);
        assertFalse(ddl.contains("LowCardinality"), ddl);
        assertEquals(List.of("_topic", "_partition", "_offset", "_line", "_timestamp", "raw", "reason"),
                TableLayout.unparsed(ServerVersion.parse("18.16.1")).columnNames());
    }

    @Test
    void evolved_columns_go_before_rest_and_are_nullable() {
        TableLayout t = TableLayout.target(SAMPLE, ServerVersion.parse("18.16.1")).withEvolved("plan", FieldType.STRING);
        List<String> names = t.columnNames();
        assertEquals(names.indexOf("_rest") - 1, names.indexOf("plan"));
        assertEquals("Nullable(String)", t.clickhouseType(t.column("plan").orElseThrow()));
    }

    @Test
    void a_key_that_may_be_missing_is_nullable_in_the_form_each_server_takes() {
        // measured: 18.16 refuses a Nullable sorting key (Code 44) and knows no allow_nullable_key (Code 36)
        TransferConfig lenient = ConfigText.parse(
                readSample().replace("null_keys_allowed: false", "null_keys_allowed: true"));
        String modern = TableLayout.target(lenient, ServerVersion.parse("26.7.2.1")).createTargetSql("default", "e");
        assertTrue(modern.contains("`event_type` LowCardinality(Nullable(String))"), modern);
        assertTrue(modern.contains("ORDER BY (`event_type`, _partition, _offset, _line)\nSETTINGS allow_nullable_key = 1"),
                modern);
        String old = TableLayout.target(lenient, ServerVersion.parse("18.16.1")).createTargetSql("default", "e");
        assertTrue(old.contains("`event_type` Nullable(String)"), old);
        assertTrue(old.contains("ORDER BY (assumeNotNull(`event_type`), _partition, _offset, _line)"), old);
        assertFalse(old.contains("SETTINGS"), old);
        assertFalse(TableLayout.target(SAMPLE, ServerVersion.parse("26.7.2.1")).createTargetSql("default", "e")
                .contains("SETTINGS"), "a key that must be present stays as it was");
    }

    private static String readSample() {
        try {
            return java.nio.file.Files.readString(Path.of("transfer.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
