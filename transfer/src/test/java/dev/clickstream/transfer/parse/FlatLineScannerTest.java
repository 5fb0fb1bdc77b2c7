package dev.clickstream.transfer.parse;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.testsupport.TestEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path must read every line exactly as the full parser does, or leave it to the full parser: each line of a
 * corpus of common and awkward lines is read both ways and the rows compared value by value.
 */
class FlatLineScannerTest {
    private static final TransferConfig SAMPLE = ConfigLoader.load(Path.of("transfer.yaml"));
    private static final TransferConfig TYPES = ConfigText.parse("""
            source:
              topic_name: t
              parser:
                json:
                  schema:
                    fields:
                      - {name: k, type: string, key: true}
                      - {name: ts, type: datetime, required: true}
                      - {name: i8, type: int8}
                      - {name: i64, type: int64}
                      - {name: u32, type: uint32}
                      - {name: u64, type: uint64}
                      - {name: d, type: double}
                      - {name: b, type: boolean}
                      - {name: s, type: string}
                      - {name: u, type: utf8}
                      - {name: a, type: any}
            """);

    private static List<String> awkwardLines() {
        String base = "{\"k\":\"x\",\"ts\":\"2026-11-25T10:15:30.123456Z\"";
        List<String> lines = new ArrayList<>();
        for (String member : List.of("", ",\"i8\":-128", ",\"i8\":127", ",\"i8\":128", ",\"i8\":-129", ",\"i64\":-9223372036854775808",
                ",\"i64\":9223372036854775807", ",\"i64\":9223372036854775808", ",\"u32\":4294967295", ",\"u32\":4294967296",
                ",\"u32\":-1", ",\"u64\":18446744073709551615", ",\"u64\":18446744073709551616", ",\"u64\":-0",
                ",\"u64\":9223372036854775808", ",\"u64\":01", ",\"u64\":1.0", ",\"u64\":1e3", ",\"u64\":\"12\"",
                ",\"d\":0.1", ",\"d\":-2.5", ",\"d\":3", ",\"d\":1e21", ",\"d\":123456789012345678", ",\"d\":0.30000000000000004",
                ",\"d\":-0.0", ",\"d\":\"1.5\"", ",\"d\":.5", ",\"d\":1.", ",\"b\":true", ",\"b\":false", ",\"b\":1", ",\"b\":\"true\"",
                ",\"s\":\"plain\"", ",\"s\":\"ünïcödé 😀\"", ",\"s\":\"a\\\"quote\"", ",\"s\":\"tab\\tbed\"", ",\"s\":12",
                ",\"s\":null", ",\"u\":\"日本\"", ",\"u\":\"\\u00e9\"", ",\"a\":{\"x\":[1,2]}", ",\"a\":\"str\"",
                ",\"extra\":1", ",\"i8\":1,\"i8\":2", ",\"s\":\"\u0001\"")) {
            lines.add(base + member + "}");
        }
        lines.add("{\"k\":\"x\"}");
        lines.add("{\"ts\":\"2026-11-25T10:15:30Z\"}");
        lines.add("{\"k\":\"x\",\"ts\":\"2026-11-25 10:15:30\"}");
        lines.add("{\"k\":\"x\",\"ts\":1764065730}");
        lines.add("{\"k\":\"x\",\"ts\":\"1764065730\"}");
        lines.add("{\"k\":\"x\",\"ts\":\"2026-11-25 10:15:30,5+03\"}");
        lines.add("{\"k\":\"x\",\"ts\":\"2026-11-25 10:15:30.25-11\",\"d\":1e400,\"a\":\"str\"}");
        lines.add("{\"k\":\"x\",\"k\":\"y\",\"ts\":\"2026-11-25T10:15:30Z\"}");
        lines.add("{\"k\":\"x\",\"ts\":\"1850-01-01T00:00:00Z\"}");
        lines.add("  {\"k\" : \"x\" , \"ts\" : \"2026-11-25T10:15:30.1+02:00\" }  ");
        lines.add("{\"k\":\"x\",\"ts\":\"2026-11-25T10:15:30Z\"} trailing");
        lines.add("{\"k\":\"x\",\"ts\":\"2026-11-25T10:15:30Z\"");
        lines.add("[1,2]");
        lines.add("{}");
        return lines;
    }

    @Test
    void every_awkward_line_reads_as_the_full_parser_reads_it() {
        compare(TYPES, ServerVersion.parse("26.7.2.1"), awkwardLines());
        compare(TYPES, ServerVersion.parse("18.16.1"), awkwardLines());
    }

    @Test
    void our_events_take_the_fast_path_and_random_numbers_read_the_same() {
        List<String> events = TestEvents.jsonLines(0, 500);
        assertEquals(events.size(), compare(SAMPLE, ServerVersion.parse("26.7.2.1"), events),
                "every line of our events takes the fast path");
        assertEquals(events.size(), compare(SAMPLE, ServerVersion.parse("18.16.1"), events));
        List<String> lines = new ArrayList<>();
        Random r = new Random(7);
        for (int n = 0; n < 2000; n++) {
            // numbers of every shape a producer could write; 16-17 digit doubles are left to the full parser
            String price = switch (n % 4) {
                case 0 -> Double.toString(r.nextDouble() * 1000);
                case 1 -> Long.toString(r.nextInt());
                case 2 -> String.format(java.util.Locale.ROOT, "%.2f", r.nextDouble() * 100);
                default -> String.format(java.util.Locale.ROOT, "%.6f", (r.nextDouble() - 0.5) * 1e6);
            };
            lines.add(TestEvents.jsonLines(n, n + 1).get(0).replaceFirst("\"price\":[^,}]+", "\"price\":" + price));
        }
        assertTrue(compare(SAMPLE, ServerVersion.parse("26.7.2.1"), lines) >= 1500);
    }

    @Test
    void a_word_is_plain_ascii_exactly_when_each_of_its_bytes_is() {
        for (int position = 0; position < Long.BYTES; position++) {
            for (int value = 0; value < 256; value++) {
                long word = 0x6161616161616161L & ~(0xFFL << (8 * position)) | ((long) value << (8 * position));
                boolean plain = value >= 0x20 && value < 0x80 && value != '"' && value != '\\';
                assertEquals(plain, FlatLineScanner.plainAscii(word), "byte " + value + " at " + position);
            }
        }
        Random r = new Random(11);
        for (int n = 0; n < 100_000; n++) {
            long word = r.nextLong();
            boolean plain = true;
            for (int k = 0; k < Long.BYTES; k++) {
                int v = (int) (word >>> (8 * k)) & 0xFF;
                plain &= v >= 0x20 && v < 0x80 && v != '"' && v != '\\';
            }
            assertEquals(plain, FlatLineScanner.plainAscii(word), Long.toHexString(word));
        }
    }

    @Test
    void a_special_character_anywhere_in_a_long_string_reads_as_the_full_parser_reads_it() {
        String base = "{\"k\":\"x\",\"ts\":\"2026-11-25T10:15:30.123456Z\",\"s\":\"";
        List<String> lines = new ArrayList<>();
        for (String special : List.of("\\\"", "\\n", "\u0001", "\u001f", "\u007f", "é", "😀", "\"", "\u00ff")) {
            for (int at = 0; at <= 24; at++) {
                lines.add(base + "a".repeat(at) + special + "b".repeat(24 - at) + "\"}");
            }
        }
        int fast = compare(TYPES, ServerVersion.parse("26.7.2.1"), lines);
        assertTrue(fast > 0 && fast < lines.size(), "some take the fast path, the escapes and the stray quote do not: "
                + fast);
    }

    @Test
    void keys_in_a_new_order_spaced_or_cut_short_read_as_the_full_parser_reads_them() {
        // Each line is read after one with other keys at its positions, so the expected key of a position is wrong
        // as often as right; "u" is a prefix of "u32" and "u64", and a line cut inside a key must not match it.
        List<String> members = List.of("\"k\":\"x\"", "\"ts\":\"2026-11-25T10:15:30Z\"", "\"u\":\"v\"", "\"u32\":7",
                "\"u64\":8", "\"s\":\"w\"");
        List<String> lines = new ArrayList<>();
        Random r = new Random(5);
        for (int n = 0; n < 400; n++) {
            List<String> order = new ArrayList<>(members);
            java.util.Collections.shuffle(order, r);
            String line = "{" + String.join(n % 5 == 0 ? " , " : ",", order) + "}";
            lines.add(n % 7 == 0 ? line.replaceFirst("\":", "\" :") : line);
            lines.add(line);
        }
        String whole = "{\"k\":\"x\",\"ts\":\"2026-11-25T10:15:30Z\",\"u32\":7}";
        for (int cut = 1; cut < whole.length(); cut++) {
            lines.add(whole);
            lines.add(whole.substring(0, cut));
        }
        int fast = compare(TYPES, ServerVersion.parse("26.7.2.1"), lines);
        assertTrue(fast >= 800, "the whole lines take the fast path: " + fast);
    }

    /** Reads each line both ways and compares; returns how many the fast path read whole. */
    private static int compare(TransferConfig config, ServerVersion version, List<String> lines) {
        TableLayout layout = TableLayout.target(config, version);
        JsonLineParser parser = new JsonLineParser(layout, false, false);
        FlatLineScanner scanner = new FlatLineScanner(layout, false, layout.goneFields());
        int fast = 0;
        for (String line : lines) {
            byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
            int len = b.length - 4;
            Row viaScanner = new Row(layout.columns().size());
            Row full = new Row(layout.columns().size());
            boolean scanned = scanner.scan(b, 2, len, viaScanner);
            ParseOutcome expected = parser.parseFully(b, 2, len, full);
            if (!scanned) {
                continue;
            }
            fast++;
            assertTrue(expected instanceof ParseOutcome.Ok, "the fast path took a line the full parser refuses: " + line
                    + " (" + expected + ")");
            for (int i = 0; i < layout.columns().size(); i++) {
                String name = layout.columns().get(i).name();
                assertEquals(full.isPresent(i), viaScanner.isPresent(i), name + " present, in " + line);
                if (full.isPresent(i)) {
                    assertEquals(value(full, i), value(viaScanner, i), name + " in " + line);
                }
            }
        }
        assertFalse(lines.isEmpty());
        return fast;
    }

    private static String value(Row r, int i) {
        String s = r.getString(i);
        return s != null ? "s:" + s : "l:" + r.getLong(i) + " d:" + Double.doubleToRawLongBits(r.getDouble(i));
    }
}
