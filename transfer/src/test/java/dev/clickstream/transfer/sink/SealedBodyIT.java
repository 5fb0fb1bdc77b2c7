package dev.clickstream.transfer.sink;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.SealedBody;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An INSERT whose body breaks off lands nothing on a real server, wherever the cut falls, because the body is one
 * sealed block. The HTTP client ends a request whose body failed with the last chunk all the same, so the server
 * may well see a short body that ended properly: this is the case the first test sends on purpose, and the one a
 * plain body loses (a CI run counted 200,000 rows of a body whose guard had failed at its end).
 */
@WithLocalStack
class SealedBodyIT {
    private static final int ROW_BYTES = 8 + 2 + 200;

    @Test
    void a_sealed_body_cut_anywhere_and_ended_properly_lands_nothing_where_a_plain_one_lands_its_whole_rows(
            TestStack stack) throws IOException {
        String db = stack.newDatabase("sealed");
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + db + ".t (x UInt64, s String) ENGINE = MergeTree() ORDER BY x");
            byte[] rows = rows(1_000);
            byte[] block = SealedBody.of(rows).stream().readAllBytes();
            int header = block.length - rows.length;

            // the cut a plain body cannot survive: on a row boundary, then a proper end
            Answer plain = post(ch.endpoint(), db + ".t", false, Arrays.copyOf(rows, 10 * ROW_BYTES));
            assertEquals(200, plain.status(), plain.body());
            assertEquals(10, ch.queryLong("SELECT count() FROM " + db + ".t"), "18.16 took the cut plain body");
            ch.execute("TRUNCATE TABLE " + db + ".t");

            for (int cut : new int[]{1, 16, header - 1, header, header + ROW_BYTES, header + 10 * ROW_BYTES,
                    header + 10 * ROW_BYTES + 3, block.length - ROW_BYTES, block.length - 1}) {
                Answer a = post(ch.endpoint(), db + ".t", true, Arrays.copyOf(block, cut));
                assertTrue(a.status() >= 400, "a body cut after " + cut + " of " + block.length + " bytes: " + a);
            }
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".t"));

            Answer whole = post(ch.endpoint(), db + ".t", true, block);
            assertEquals(200, whole.status(), whole.body());
            assertEquals(1_000, ch.queryLong("SELECT count() FROM " + db + ".t"));

            // a large body in three parts, as parse threads fill a batch: a cut between blocks leaves a row half sent
            byte[] large = rows(2_000);
            SealedBody inParts = SealedBody.builder(firstBlock()).add(large, 0, 500 * ROW_BYTES)
                    .add(large, 500 * ROW_BYTES, 1_000 * ROW_BYTES).add(large, 1_500 * ROW_BYTES, 500 * ROW_BYTES)
                    .seal();
            assertEquals(6, inParts.blocks(), "the first block and a block of two bytes at each of two part ends");
            byte[] blocks = inParts.stream().readAllBytes();
            java.util.List<Integer> cuts = new java.util.ArrayList<>();
            java.nio.ByteBuffer sizes = java.nio.ByteBuffer.wrap(blocks).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int at = 0; at < blocks.length; at += 25 + sizes.getInt(at + 21)) {
                cuts.add(at + 25 + sizes.getInt(at + 21));
            }
            cuts.set(cuts.size() - 1, blocks.length - 1);
            for (int cut : cuts) {
                Answer a = post(ch.endpoint(), db + ".t", true, Arrays.copyOf(blocks, cut));
                assertTrue(a.status() >= 400, "two blocks cut after " + cut + " of " + blocks.length + " bytes: " + a);
            }
            assertEquals(1_000, ch.queryLong("SELECT count() FROM " + db + ".t"));
            Answer both = post(ch.endpoint(), db + ".t", true, blocks);
            assertEquals(200, both.status(), both.body());
            assertEquals(3_000, ch.queryLong("SELECT count() FROM " + db + ".t"));
        }
    }

    @Test
    void a_body_whose_guard_fails_halfway_or_before_its_last_byte_lands_nothing_and_one_that_passes_lands_whole(
            TestStack stack) {
        String db = stack.newDatabase("guarded");
        int rows = 200_000; // 42 MB: more than the loopback's buffers, so the server reads before the body ends
        SealedBody body = sealed(rows(rows));
        long blockBytes = body.rowBytes() + 50L;
        try (ClickHouse ch = stack.connectClickHouse()) {
            ch.execute("CREATE TABLE " + db + ".t (x UInt64, s String) ENGINE = MergeTree() ORDER BY x");
            AtomicLong checks = new AtomicLong();
            SealedBody.Guard halfway = unsent -> {
                if (checks.incrementAndGet() > 3) {
                    throw new IOException("stood still");
                }
            };
            assertThrows(RuntimeException.class, () -> ch.insert(db + ".t", List.of("x", "s"),
                    body.guardedBy(halfway), "RowBinary", db + "-halfway"));
            awaitGone(ch, db + "-halfway");

            AtomicLong lastUnsent = new AtomicLong(-1);
            SealedBody.Guard beforeTheLastByte = unsent -> {
                lastUnsent.set(unsent);
                if (unsent == 1) {
                    throw new IOException("stood still");
                }
            };
            assertThrows(RuntimeException.class, () -> ch.insert(db + ".t", List.of("x", "s"),
                    body.guardedBy(beforeTheLastByte), "RowBinary", db + "-at-end"));
            awaitGone(ch, db + "-at-end");
            assertEquals(1, lastUnsent.get(), "every byte but the last was sent before the guard failed");
            assertEquals(0, ch.queryLong("SELECT count() FROM " + db + ".t"));

            ch.insert(db + ".t", List.of("x", "s"), body, "RowBinary", db + "-passes");
            assertEquals(rows, ch.queryLong("SELECT count() FROM " + db + ".t"));
            assertTrue(checks.get() > 3 && blockBytes > 40_000_000 && body.blocks() == 2);
        }
    }

    private static void awaitGone(ClickHouse ch, String queryId) {
        assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(50), () -> ch.queryLong(
                "SELECT count() FROM system.processes WHERE query_id = " + ClickHouse.quote(queryId)) == 0),
                "the server still runs " + queryId);
    }

    private record Answer(int status, String body) {
    }

    /** One complete HTTP request with exactly these bytes as its body, the way the server sees a cut one ended. */
    private static Answer post(ClickHouseEndpoint e, String table, boolean sealed, byte[] bytes) {
        String query = URLEncoder.encode("INSERT INTO " + table + " FORMAT RowBinary", StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(e.url() + "/?" + (sealed ? "decompress=1&" : "")
                        + "query=" + query))
                .header("X-ClickHouse-User", e.user()).header("X-ClickHouse-Key", e.password())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body().trim());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** The rows as the transfer seals a large batch: the first block ends one byte into the row past 256 KiB. */
    private static SealedBody sealed(byte[] rows) {
        return SealedBody.builder(firstBlock()).add(rows, 0, rows.length).seal();
    }

    private static int firstBlock() {
        int rowsBefore = (SealedBody.REGISTERED_AFTER + 1 + ROW_BYTES - 1) / ROW_BYTES;
        return rowsBefore * ROW_BYTES + 1;
    }

    /** {@code n} rows of a UInt64 and a 200-byte String in RowBinary. */
    private static byte[] rows(int n) {
        byte[] text = "x".repeat(200).getBytes(StandardCharsets.US_ASCII);
        ByteSink rows = new ByteSink(n * ROW_BYTES);
        for (int i = 0; i < n; i++) {
            rows.writeLongLE(i);
            rows.writeVarint(text.length);
            rows.write(text, 0, text.length);
        }
        return rows.toByteArray();
    }
}
