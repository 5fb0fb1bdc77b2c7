package dev.clickstream.transfer.delivery;

import dev.clickstream.common.clickhouse.SealedBody;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.EncodedRows;
import dev.clickstream.transfer.batch.RowEncoder;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.schema.TableLayout;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch's INSERT body holds its rows of every parse shard in order, in blocks that each end inside a row; a large
 * one's first block ends one byte into the first row that starts past what the server reads before it registers
 * the INSERT.
 */
class BatchBodyTest {
    private static final TransferConfig SAMPLE = ConfigLoader.load(Path.of("transfer.yaml"));
    private static final ServerVersion V18 = ServerVersion.parse("18.16.1");

    @ParameterizedTest
    @EnumSource(InsertFormat.class)
    void a_large_body_splits_one_byte_into_the_row_past_what_the_server_reads_to_register_it(InsertFormat format)
            throws IOException {
        TableLayout target = TableLayout.target(SAMPLE, V18);
        TableLayout unparsed = TableLayout.unparsed(V18);
        Batch batch = new Batch(RowEncoder.of(format, target), RowEncoder.of(format, unparsed), 2, 4096);
        ParseShard parser = new ParseShard(target, unparsed, false, false);
        for (int i = 0; batch.unparsed(0).bytes() + batch.unparsed(1).bytes() < 600_000; i++) {
            byte[] value = ("not json " + i + " " + "x".repeat(i % 97)).getBytes(StandardCharsets.UTF_8);
            batch.addMessage(0, i, value.length, 0L);
            int shard = (i / 50) % 2;
            parser.addLines(new ConsumerRecord<>("t", 0, i, null, value), null, batch.target(shard),
                    batch.unparsed(shard));
        }
        SealedBody body = batch.unparsedData();

        List<Integer> starts = new ArrayList<>();
        ByteArrayOutputStream rows = new ByteArrayOutputStream();
        for (int shard = 0; shard < 2; shard++) {
            EncodedRows r = batch.unparsed(shard);
            for (int at = r.firstRowStartingFrom(0); at >= 0; at = r.firstRowStartingFrom(at + 1)) {
                starts.add(rows.size() + at);
            }
            rows.write(r.data().toByteArray());
        }
        assertArrayEquals(rows.toByteArray(), body.rows().readAllBytes(), "the shards' rows, in order");

        List<Integer> ends = blockEnds(body.stream().readAllBytes());
        assertEquals(rows.size(), ends.get(ends.size() - 1));
        for (int end : ends.subList(0, ends.size() - 1)) {
            assertTrue(!starts.contains(end), "a block ends inside a row: " + end);
        }
        int split = ends.get(0) - 1;
        assertTrue(starts.contains(split), "the first block ends one byte into a row: " + split);
        assertTrue(split > SealedBody.REGISTERED_AFTER, "the first block holds what the server reads: " + split);
        assertTrue(starts.stream().noneMatch(s -> s > SealedBody.REGISTERED_AFTER && s < split),
                "no row starts between that and the split");
        int shardEnd = batch.unparsed(0).bytes();
        assertTrue(ends.contains(shardEnd - 1) && ends.contains(shardEnd + 1), "a block of two bytes bridges the"
                + " parse shards at " + shardEnd + ": " + ends);
        assertEquals(4, body.blocks());
    }

    /** Where each block's rows end, counted in rows: its header's second size. */
    private static List<Integer> blockEnds(byte[] stream) {
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> ends = new ArrayList<>();
        int rows = 0;
        for (int at = 0; at < stream.length; at += 25 + b.getInt(at + 21)) {
            rows += b.getInt(at + 21);
            ends.add(rows);
        }
        return ends;
    }

    @ParameterizedTest
    @EnumSource(InsertFormat.class)
    void a_small_body_is_one_block(InsertFormat format) throws IOException {
        TableLayout target = TableLayout.target(SAMPLE, V18);
        TableLayout unparsed = TableLayout.unparsed(V18);
        Batch batch = new Batch(RowEncoder.of(format, target), RowEncoder.of(format, unparsed), 1, 4096);
        byte[] value = "not json".getBytes(StandardCharsets.UTF_8);
        batch.addMessage(0, 0, value.length, 0L);
        new ParseShard(target, unparsed, false, false).addLines(new ConsumerRecord<>("t", 0, 0, null, value), null,
                batch.target(0), batch.unparsed(0));
        assertEquals(1, batch.unparsedData().blocks());
        assertArrayEquals(batch.unparsed(0).data().toByteArray(), batch.unparsedData().rows().readAllBytes());
    }
}
