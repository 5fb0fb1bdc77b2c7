package dev.clickstream.transfer.delivery;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.destination.TargetTable;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowEncoder;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.offsets.CleanupClaim;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.TransferDdl;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import dev.clickstream.testsupport.chdb.ChdbSession;
import dev.clickstream.testsupport.chdb.WithChdb;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer's own SQL and encodings on both generations of ClickHouse: the test stack's server over HTTP
 * (Debian's 18.16 here; the GitHub workflow's second job runs a current LTS there) and the 26.x engine in-process
 * (chDB). The real sink and offset log create their tables, the real parser and encoders fill a batch, the sink
 * writes it, and every value is read back; the queries that read the transfer's state and schema evolution's
 * ALTER run on both.
 */
@WithLocalStack
@WithChdb
class BothGenerationsIT {
    private static final String TOPIC = "generations";
    /** Every field type, nullable or not, low-cardinality or not, key or not. */
    private static final String CONFIG = """
            source:
              topic_name: generations
              parser:
                json:
                  schema:
                    fields:
                      - {name: kind, type: string, key: true, low_cardinality: true}
                      - {name: big_key, type: uint64, key: true}
                      - {name: ts, type: datetime, required: true}
                      - {name: i8, type: int8}
                      - {name: i16, type: int16, required: true}
                      - {name: i32, type: int32}
                      - {name: i64, type: int64}
                      - {name: u8, type: uint8, required: true}
                      - {name: u16, type: uint16}
                      - {name: u32, type: uint32}
                      - {name: u64, type: uint64}
                      - {name: d, type: double}
                      - {name: b, type: boolean}
                      - {name: s, type: string, low_cardinality: true}
                      - {name: u, type: utf8, required: true, low_cardinality: true}
                      - {name: a, type: any}
                      - {name: city, type: utf8, path: geo.city}
                  add_rest_column: true
            """;
    private static final String FULL = "{\"kind\":\"click\",\"big_key\":9223372036854775808,"
            + "\"ts\":\"2026-11-25T10:15:30.123456Z\",\"i8\":-128,\"i16\":-32768,\"i32\":-2147483648,"
            + "\"i64\":-9223372036854775808,\"u8\":255,\"u16\":65535,\"u32\":4294967295,\"u64\":18446744073709551615,"
            + "\"d\":0.1,\"b\":true,\"s\":\"ünïcödé 😀\",\"u\":\"日本\",\"a\":{\"x\":[1,2]},\"geo\":{\"city\":\"Berlin\"},"
            + "\"extra\":\"kept\"}";
    private static final String MINIMAL = "{\"kind\":\"view\",\"big_key\":0,\"ts\":1764065730,\"i16\":1,\"u8\":0,"
            + "\"u\":\"\"}";
    private static final String MALFORMED = "{\"kind\":\"view\", oops";
    private static final TransferConfig PARSED = ConfigText.parse(CONFIG);

    private static ChdbSession modern;
    private static ClickHouse server;
    private static TestStack stack;

    @BeforeAll
    static void open(TestStack testStack, ChdbSession session) {
        stack = testStack;
        modern = session;
        server = testStack.connectClickHouse();
    }

    @AfterAll
    static void close() {
        server.close();
    }

    static Stream<Arguments> generationsAndFormats() {
        List<Arguments> all = new ArrayList<>();
        for (String generation : List.of("26.x", "server")) {
            for (InsertFormat format : InsertFormat.values()) {
                all.add(Arguments.of(generation, format));
            }
        }
        return all.stream();
    }

    private static SqlSession session(String generation) {
        return generation.equals("26.x") ? modern : server;
    }

    private static String database(String generation, String prefix) {
        if (generation.equals("server")) {
            return stack.newDatabase(prefix);
        }
        String db = prefix + "_" + System.nanoTime();
        modern.execute("CREATE DATABASE " + db);
        return db;
    }

    /** The tables as the transfer makes them at start, and a batch of the given lines parsed and encoded by it. */
    private record Delivery(ClickHouseSink sink, TableLayout target, TableLayout unparsed, InsertFormat format) {
        static Delivery prepare(SqlSession ch, String db, InsertFormat format) {
            ClickHouseSink sink = new ClickHouseSink(ch, TargetTable.onOneServer(db, "events", TOPIC, ""));
            TableLayout target = sink.prepare(TableLayout.target(PARSED, ch.version()),
                    TableLayout.unparsed(ch.version()), false);
            return new Delivery(sink, target, TableLayout.unparsed(ch.version()), format);
        }

        Batch batch(int partition, long firstOffset, List<String> messages) {
            Batch batch = new Batch(RowEncoder.of(format, target), RowEncoder.of(format, unparsed), 1, 4096);
            ParseShard shard = new ParseShard(target, unparsed, false, false);
            long offset = firstOffset;
            for (String m : messages) {
                byte[] value = m.getBytes(StandardCharsets.UTF_8);
                ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(TOPIC, partition, offset, null, value);
                batch.addMessage(partition, offset, value.length, record.timestamp());
                shard.addLines(record, null, batch.target(0), batch.unparsed(0));
                offset++;
            }
            return batch;
        }

        void write(Batch batch, String writeId) {
            sink.write(batch, target, unparsed, writeId);
        }
    }

    @ParameterizedTest(name = "ClickHouse {0}, {1}")
    @MethodSource("generationsAndFormats")
    void every_type_is_written_and_read_back_value_for_value(String generation, InsertFormat format) {
        SqlSession ch = session(generation);
        boolean modernServer = ch.version().hasDateTime64();
        String db = database(generation, "types_" + format.name().toLowerCase());
        Delivery d = Delivery.prepare(ch, db, format);
        d.write(d.batch(2, 40, List.of(FULL, MINIMAL + "\n" + MALFORMED)), "types-" + format);

        String columns = String.join(", ", d.target().columnNames().stream()
                .map(c -> "toString(" + ClickHouse.identifier(c) + ")").toList());
        List<String> rows = ch.queryText("SELECT " + columns + " FROM " + db + ".events ORDER BY _offset").lines().toList();
        assertEquals(2, rows.size(), rows::toString);
        Map<String, String> full = named(d.target(), rows.get(0));
        Map<String, String> minimal = named(d.target(), rows.get(1));

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("kind", "click");
        expected.put("big_key", "9223372036854775808");
        expected.put("ts", modernServer ? "2026-11-25 10:15:30.123456" : "2026-11-25 10:15:30");
        expected.put("i8", "-128");
        expected.put("i16", "-32768");
        expected.put("i32", "-2147483648");
        expected.put("i64", "-9223372036854775808");
        expected.put("u8", "255");
        expected.put("u16", "65535");
        expected.put("u32", "4294967295");
        expected.put("u64", "18446744073709551615");
        expected.put("d", "0.1");
        expected.put("b", modernServer ? "true" : "1");
        expected.put("s", "ünïcödé 😀");
        expected.put("u", "日本");
        expected.put("a", "{\"x\":[1,2]}");
        expected.put("city", "Berlin");
        expected.put("_rest", "{\"extra\":\"kept\"}");
        expected.put("_topic", TOPIC);
        expected.put("_partition", "2");
        expected.put("_offset", "40");
        expected.put("_line", "0");
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), full.get(e.getKey()), "column " + e.getKey() + " of the full row");
        }
        for (String nullable : List.of("i8", "i32", "i64", "u16", "u32", "u64", "d", "b", "s", "a", "city")) {
            assertEquals("\\N", minimal.get(nullable), "column " + nullable + " of the minimal row");
        }
        assertEquals("2025-11-25 10:15:30", minimal.get("ts").substring(0, 19));
        assertEquals("41\t0", minimal.get("_offset") + "\t" + minimal.get("_line"));

        List<String> unparsed = ch.queryText("SELECT _partition, _offset, _line, raw, reason FROM " + db
                + ".events_unparsed").lines().toList();
        assertEquals(1, unparsed.size(), unparsed::toString);
        assertTrue(unparsed.get(0).startsWith("2\t41\t1\t{\"kind\":\"view\", oops\tmalformed JSON"), unparsed::toString);
    }

    @ParameterizedTest(name = "ClickHouse {0}, {1}")
    @MethodSource("generationsAndFormats")
    void columns_a_person_altered_are_written_as_the_table_has_them(String generation, InsertFormat format) {
        SqlSession ch = session(generation);
        boolean modernServer = ch.version().hasDateTime64();
        String db = database(generation, "altered_" + format.name().toLowerCase());
        Delivery.prepare(ch, db, format);
        String table = db + ".events";
        for (String change : List.of("MODIFY COLUMN u16 Nullable(UInt64)", "MODIFY COLUMN i32 Nullable(Float64)",
                "MODIFY COLUMN u8 String", "MODIFY COLUMN d Nullable(Float32)", "MODIFY COLUMN b Nullable(String)",
                "MODIFY COLUMN u64 Nullable(Int64)", "MODIFY COLUMN ts " + (modernServer ? "DateTime64(3, 'UTC')" : "String"),
                "DROP COLUMN city", "ADD COLUMN plan String DEFAULT 'free'")) {
            ch.execute("ALTER TABLE " + table + " " + change);
        }
        Delivery d = Delivery.prepare(ch, db, format);
        String fits = FULL.replace("\"u64\":18446744073709551615", "\"u64\":7");
        d.write(d.batch(0, 10, List.of(fits, FULL)), "altered-" + format);

        String columns = String.join(", ", d.target().columnNames().stream()
                .map(c -> "toString(" + ClickHouse.identifier(c) + ")").toList());
        List<String> rows = ch.queryText("SELECT " + columns + " FROM " + table + " ORDER BY _offset").lines().toList();
        assertEquals(1, rows.size(), rows::toString);
        Map<String, String> row = named(d.target(), rows.get(0));
        assertEquals("65535", row.get("u16"));
        assertEquals("-2147483648", row.get("i32"));
        assertEquals("255", row.get("u8"));
        assertEquals("0.1", row.get("d"));
        assertEquals("true", row.get("b"));
        assertEquals("7", row.get("u64"));
        assertEquals(modernServer ? "2026-11-25 10:15:30.123" : "2026-11-25 10:15:30.123456", row.get("ts"));
        assertFalse(row.containsKey("city"), "a dropped column is not written");
        assertEquals("{\"geo\":{\"city\":\"Berlin\"},\"extra\":\"kept\"}", row.get("_rest"),
                "the field of a dropped column goes to _rest");
        assertEquals("free", ch.queryText("SELECT plan FROM " + table).trim(), "a column no field fills gets its default");
        List<String> unparsed = ch.queryText("SELECT _offset, reason FROM " + table + "_unparsed").lines().toList();
        assertEquals(List.of("11\tcolumn u64 is Nullable(Int64) in the table: value 18446744073709551615 of field u64"
                + " (uint64) does not fit"), unparsed);
    }

    private static Map<String, String> named(TableLayout layout, String tsvRow) {
        String[] values = tsvRow.split("\t", -1);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(layout.columnNames().get(i), values[i]);
        }
        return m;
    }

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.x", "server"})
    void low_cardinality_columns_have_the_type_the_server_accepts(String generation) {
        SqlSession ch = session(generation);
        String db = database(generation, "lc");
        Delivery.prepare(ch, db, InsertFormat.ROW_BINARY);
        Map<String, String> types = new LinkedHashMap<>();
        ch.queryText("SELECT name, type FROM system.columns WHERE database = '" + db + "' AND table = 'events'")
                .lines().forEach(l -> types.put(l.split("\t")[0], l.split("\t")[1]));
        if (ch.version().hasLowCardinality()) {
            assertEquals("LowCardinality(Nullable(String))", types.get("s"));
            assertEquals("LowCardinality(String)", types.get("u"));
            assertEquals("LowCardinality(String)", types.get("kind"));
        } else {
            assertEquals("Nullable(String)", types.get("s"));
            assertEquals("String", types.get("u"));
        }
    }

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.x", "server"})
    void the_offset_log_and_the_presence_check_read_what_was_written(String generation) {
        SqlSession ch = session(generation);
        String db = database(generation, "state");
        Delivery d = Delivery.prepare(ch, db, InsertFormat.ROW_BINARY);
        // A log an earlier release made, without topic ids: it gets the new columns at start.
        ch.execute("CREATE TABLE " + db + ".events_offsets (topic String, partition UInt32, first_offset UInt64,"
                + " last_offset UInt64, batch_id String, instance String, written_at DateTime) ENGINE = MergeTree()"
                + " ORDER BY (topic, partition, last_offset)");
        OffsetLog log = new OffsetLog(ch, TargetTable.onOneServer(db, "events", TOPIC, "topic-id-1"));
        log.createIfMissing();
        assertTrue(ch.queryText("SELECT name FROM system.columns WHERE database = '" + db
                + "' AND table = 'events_offsets'").contains("topic_id\noldest_timestamp_ms"));
        assertFalse(log.hasHistory());
        assertTrue(log.uncertain(0).isEmpty());

        Batch first = d.batch(0, 0, List.of(FULL, MINIMAL, MALFORMED));
        log.record(first.ranges(), 1_000L, "b1", "test");
        d.write(first, "state-1");
        Batch second = d.batch(0, 3, List.of(MINIMAL + "\n" + MINIMAL));
        log.record(second.ranges(), 2_000L, "b2", "test");
        log.record(second.ranges(), 2_000L, "b2", "test"); // a retry logs its range again
        Batch third = d.batch(0, 4, List.of(MINIMAL));
        log.record(third.ranges(), 3_000L, "b3", "test");

        assertTrue(log.hasHistory());
        var window = log.uncertain(0).orElseThrow();
        assertEquals(new Batch.Range(3, 4), window.range(), "the newest two distinct ranges, the repeat not counted twice");
        assertEquals(Set.of("b2", "b3"), Set.copyOf(window.writeIds()), "the writes that logged them");
        d.sink().awaitEnd(window.writeIds()); // KILL QUERY ... SYNC of writes that are over: returns at once
        assertEquals(Set.of(new RowKey(0, 0, 0), new RowKey(0, 1, 0), new RowKey(0, 2, 0)),
                d.sink().presentKeys(Map.of(0, new Batch.Range(0, 4)), 0), "target and unparsed lines of offsets 0-2");
        assertEquals(Set.of(), d.sink().presentKeys(Map.of(1, new Batch.Range(0, 4)), 0));
        assertEquals(1_000L, log.generationStartMs());

        // The topic is deleted and created again: its history and its rows are not the new topic's.
        OffsetLog recreated = new OffsetLog(ch, TargetTable.onOneServer(db, "events", TOPIC, "topic-id-2"));
        assertTrue(recreated.uncertain(0).isEmpty(), "no window from the deleted topic");
        assertTrue(recreated.hasHistory(), "but the table has history: no cleanup policy on it");
        assertEquals(0, recreated.generationStartMs());
        assertEquals(Set.of(), d.sink().presentKeys(Map.of(0, new Batch.Range(0, 4)),
                java.time.Instant.now().plusSeconds(60).toEpochMilli()), "rows older than the new topic are not its own");
    }

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.x", "server"})
    void schema_evolution_adds_a_column_that_the_next_start_takes_back(String generation) {
        SqlSession ch = session(generation);
        String db = database(generation, "evolve");
        Delivery d = Delivery.prepare(ch, db, InsertFormat.ROW_BINARY);
        TableLayout evolved = d.sink().addColumn(d.target(), "plan", FieldType.STRING);
        assertTrue(evolved.column("plan").isPresent());
        assertEquals("Nullable(String)", ch.queryText("SELECT type FROM system.columns WHERE database = '" + db
                + "' AND table = 'events' AND name = 'plan'").strip());
        assertEquals(evolved.columnNames(), new ClickHouseSink(ch, TargetTable.onOneServer(db, "events", TOPIC, ""))
                .prepare(TableLayout.target(PARSED, ch.version()), TableLayout.unparsed(ch.version()), true)
                .columnNames(), "a restart with schema evolution finds the column again");
        assertEquals(evolved.columnNames(), d.sink().addColumn(d.target(), "plan", FieldType.STRING).columnNames(),
                "adding it again (another instance did) adopts it");
    }

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.x", "server"})
    void the_printed_ddl_makes_the_tables_the_transfer_makes(String generation) {
        SqlSession ch = session(generation);
        String db = database(generation, "ddl");
        String printedDb = database(generation, "ddl_printed");
        TransferConfig printed = ConfigText.parse(CONFIG + "target: {database: " + printedDb + "}\n");
        TransferDdl.statements(printed, ch.version()).forEach(ch::execute);
        Delivery.prepare(ch, db, InsertFormat.ROW_BINARY);
        new OffsetLog(ch, TargetTable.onOneServer(db, "events", TOPIC, "topic-id-1")).createIfMissing();
        for (String table : List.of("generations", "generations_unparsed", "generations_offsets")) {
            String made = table.replace("generations", "events");
            assertEquals(columns(ch, db, made), columns(ch, printedDb, table), table);
            assertFalse(columns(ch, printedDb, table).isEmpty(), table);
        }
    }

    private static String columns(SqlSession ch, String db, String table) {
        // In the table's order on both (18.16's system.columns has no position to sort by).
        return ch.queryText("SELECT name, type FROM system.columns WHERE database = '" + db + "' AND table = '" + table
                + "'");
    }

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.x", "server"})
    void one_instance_wins_the_cleanup_claim_and_the_others_wait_for_it(String generation) {
        SqlSession ch = session(generation);
        String db = database(generation, "claim");
        CleanupClaim a = new CleanupClaim(ch, TargetTable.onOneServer(db, "events", TOPIC, ""), "a");
        CleanupClaim b = new CleanupClaim(ch, TargetTable.onOneServer(db, "events", TOPIC, ""), "b");
        assertTrue(a.tryClaim());
        assertFalse(b.tryClaim(), "the table exists: b must not clean");
        UserFacingException waited = assertThrows(UserFacingException.class, () -> b.awaitDone(Duration.ofMillis(300)));
        assertTrue(waited.getMessage().contains("drop " + a.table()), waited.getMessage());
        a.done();
        b.awaitDone(Duration.ofSeconds(5));
        assertTrue(new CleanupClaim(ch, TargetTable.onOneServer(db, "events", "another-topic", ""), "c").tryClaim(),
                "claims are per topic");
    }

    @ParameterizedTest(name = "ClickHouse {0}")
    @ValueSource(strings = {"26.x", "server"})
    void cleanup_policies_empty_or_drop_both_tables(String generation) {
        SqlSession ch = session(generation);
        String db = database(generation, "cleanup");
        Delivery d = Delivery.prepare(ch, db, InsertFormat.ROW_BINARY);
        d.write(d.batch(0, 0, List.of(FULL, MALFORMED)), "cleanup-1");
        d.sink().cleanUp(CleanupPolicy.TRUNCATE);
        assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".events"));
        assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".events_unparsed"));
        d.sink().cleanUp(CleanupPolicy.DROP);
        assertFalse(ch.tableExists(db, "events"));
        assertFalse(ch.tableExists(db, "events_unparsed"));
    }
}
