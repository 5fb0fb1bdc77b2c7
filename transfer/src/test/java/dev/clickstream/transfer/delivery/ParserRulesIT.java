package dev.clickstream.transfer.delivery;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.destination.TargetTable;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.RowEncoder;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.parse.ParserRules;
import dev.clickstream.transfer.parse.StoredRules;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
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

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every row of DESIGN.md's parsing tables through the real parser, encoders and sink into ClickHouse 18.16 (the
 * test stack's server) and the 26.x engine (chDB), in both insert formats, and read back: each case is one
 * message, so its offset finds its row in the target or in {@code _unparsed}.
 */
@WithLocalStack
@WithChdb
class ParserRulesIT {
    private static final TransferConfig CONFIG = ConfigText.parse(ParserRules.CONFIG);

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
        String db;
        if (generation.equals("server")) {
            db = stack.newDatabase("rules");
        } else {
            db = "rules_" + System.nanoTime();
            modern.execute("CREATE DATABASE " + db);
        }
        ClickHouseSink sink = new ClickHouseSink(ch, TargetTable.onOneServer(db, "rules", ParserRules.TOPIC, ""));
        TableLayout unparsed = TableLayout.unparsed(ch.version());
        TableLayout target = sink.prepare(TableLayout.target(CONFIG, ch.version()), unparsed, false);
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

        List<String> failed = StoredRules.mismatches(ch, db + ".rules");
        assertEquals(List.of(), failed, failed.size() + " differences on " + ch.version());
    }
}
