package dev.clickstream.transfer;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.parse.ParserRules;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.Batch;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.RowEncoder;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of DESIGN.md's parsing tables through the real parser, encoders and sink into ClickHouse 18.16 (the
 * test stack's server) and the 26.x engine (chDB), in both insert formats, and read back: each case is one
 * message, so its offset finds its row in the target or in {@code _unparsed}.
 */
@WithLocalStack
@WithChdb
class ParserRulesIT {
    private static final TransferConfig CONFIG = ConfigLoader.parseForTests(ParserRules.CONFIG);

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

    @ParameterizedTest(name = "ClickHouse {0}, {1}")
    @MethodSource("generationsAndFormats")
    void every_row_of_the_rule_tables_lands_as_the_table_says(String generation, InsertFormat format) {
        SqlSession ch = generation.equals("26.x") ? modern : server;
        boolean micros = ch.version().hasDateTime64();
        String db;
        if (generation.equals("server")) {
            db = stack.newDatabase("rules");
        } else {
            db = "rules_" + System.nanoTime();
            modern.execute("CREATE DATABASE " + db);
        }
        ClickHouseSink sink = new ClickHouseSink(ch, db, "rules", ParserRules.TOPIC);
        TableLayout target = sink.prepare(TableLayout.target(CONFIG, ch.version()), TableLayout.unparsed(ch.version()), false);
        TableLayout unparsed = TableLayout.unparsed(ch.version());
        List<ParserRules.Case> cases = ParserRules.cases();
        Batch batch = new Batch(RowEncoder.of(format, target), RowEncoder.of(format, unparsed), 1, 4096);
        ParseShard shard = new ParseShard(target, unparsed, true, false);
        for (int offset = 0; offset < cases.size(); offset++) {
            byte[] value = cases.get(offset).bytes();
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(ParserRules.TOPIC, 0, offset, null, value);
            batch.addMessage(0, offset, value.length, record.timestamp());
            shard.addLines(record, null, batch.target(0), batch.unparsed(0));
        }
        sink.write(batch, target, unparsed, "rules-" + format);

        List<String> columns = new ArrayList<>(ParserRules.FIELDS);
        columns.add("_rest");
        String select = String.join(", ", columns.stream().map(c -> "hex(toString(" + c + "))").toList());
        Map<Long, String[]> rows = new HashMap<>();
        ch.queryText("SELECT _offset, " + select + " FROM " + db + ".rules").lines()
                .forEach(l -> rows.put(Long.parseLong(l.split("\t")[0]), l.split("\t", -1)));
        Map<Long, String[]> bad = new HashMap<>();
        ch.queryText("SELECT _offset, hex(raw), hex(reason) FROM " + db + ".rules_unparsed").lines()
                .forEach(l -> bad.put(Long.parseLong(l.split("\t")[0]), l.split("\t", -1)));

        List<String> failed = new ArrayList<>();
        for (int offset = 0; offset < cases.size(); offset++) {
            ParserRules.Case c = cases.get(offset);
            String where = "[" + c.rule() + "] " + c.line();
            if (c.unparsed()) {
                String[] u = bad.get((long) offset);
                String want = ParserRules.expectedHex(c.reason());
                if (u == null || !u[2].equals(want) || !u[1].equals(ParserRules.hex(c.bytes()))) {
                    failed.add(where + ": expected in _unparsed with '" + c.reason() + "', got "
                            + (u == null ? "no row" : text(u[2])) + (rows.containsKey((long) offset) ? " (it is in the target)" : ""));
                }
                continue;
            }
            String[] row = rows.get((long) offset);
            if (row == null) {
                failed.add(where + ": not in the target" + (bad.containsKey((long) offset) ? ": " + text(bad.get((long) offset)[2]) : ""));
                continue;
            }
            for (int k = 0; k < columns.size(); k++) {
                String expected = c.expected(columns.get(k));
                if (columns.get(k).equals("at") || columns.get(k).equals("ts")) {
                    expected = micros || expected.equals(ParserRules.NULL) ? expected : expected.substring(0, 19);
                }
                String want = ParserRules.expectedHex(expected);
                if (!want.equals(row[k + 1])) {
                    failed.add(where + ": " + columns.get(k) + " is " + text(row[k + 1]) + ", expected " + text(want));
                }
            }
        }
        assertEquals(List.of(), failed, failed.size() + " of " + cases.size() + " rows fail on " + ch.version());
        assertTrue(rows.size() + bad.size() == cases.size(), "one row per line");
    }

    private static String text(String hex) {
        return hex.equals(ParserRules.NULL) ? hex
                : "'" + new String(java.util.HexFormat.of().parseHex(hex), StandardCharsets.UTF_8) + "'";
    }
}
