package dev.clickstream.producer.encode;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.producer.generate.EventGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageBuilderTest {
    private static final long START = 1_735_689_600_000_000L;

    private static MessageBuilder builder(long seed, Packing packing, double malformed) {
        return new MessageBuilder(new EventGenerator(EventGenerator.Settings.of(seed, START)), packing, malformed, seed);
    }

    private static List<String> messages(MessageBuilder b, int n) {
        ByteSink buf = new ByteSink(16);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.next(buf);
            out.add(buf.toString());
        }
        return out;
    }

    private static List<String> lines(List<String> messages) {
        List<String> lines = new ArrayList<>();
        for (String m : messages) {
            if (!m.isEmpty()) {
                lines.addAll(Arrays.asList(m.split("\n", -1)));
            }
        }
        return lines;
    }

    @Test
    void one_line_per_message_should_be_a_single_json_object_without_a_newline() {
        MessageBuilder b = builder(1, Packing.ONE, 0);
        for (String m : messages(b, 1000)) {
            assertFalse(m.contains("\n"));
            ClickEventJson.parse(m);
            assertEquals(1, b.events());
        }
    }

    @Test
    void packing_n_should_put_n_lines_in_every_message_and_keep_the_event_stream() {
        List<String> packed = messages(builder(2, Packing.parse("5"), 0), 200);
        for (String m : packed) {
            assertEquals(5, m.split("\n", -1).length);
            assertFalse(m.endsWith("\n"));
        }
        assertEquals(messages(builder(2, Packing.ONE, 0), 1000), lines(packed));
    }

    @Test
    void random_packing_should_give_0_to_99_lines_as_the_demo_did_including_empty_messages() {
        MessageBuilder b = builder(3, Packing.parse("random"), 0);
        ByteSink buf = new ByteSink(16);
        int empty = 0;
        int max = 0;
        long events = 0;
        for (int i = 0; i < 2000; i++) {
            b.next(buf);
            int lines = buf.size() == 0 ? 0 : buf.toString().split("\n", -1).length;
            assertEquals(b.events(), lines);
            empty += lines == 0 ? 1 : 0;
            max = Math.max(max, lines);
            events += lines;
        }
        assertTrue(empty > 0 && max == 99, "empty " + empty + ", max " + max);
        assertEquals(2000 * 49.5, events, 2000 * 3.0);
        assertEquals(messages(builder(3, Packing.parse("random"), 0), 50),
                messages(builder(3, Packing.parse("random"), 0), 50));
    }

    @Test
    void malformed_lines_should_be_the_asked_share_never_parse_and_repeat_with_the_seed() {
        MessageBuilder b = builder(4, Packing.ONE, 0.1);
        ByteSink buf = new ByteSink(16);
        int malformed = 0;
        List<String> broken = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            b.next(buf);
            String line = buf.toString();
            assertEquals(1, b.events() + b.malformed());
            if (b.malformed() == 1) {
                malformed++;
                broken.add(line);
                ClickEvent parsed = null;
                try {
                    parsed = ClickEventJson.parse(line);
                } catch (RuntimeException expected) {
                    // every kind of broken line fails the shared parser
                }
                assertEquals(null, parsed, line);
            } else {
                ClickEventJson.parse(line);
            }
        }
        assertEquals(2000, malformed, 150);
        assertTrue(broken.stream().anyMatch(l -> l.startsWith("not json ")));
        assertTrue(broken.stream().anyMatch(l -> l.contains("\"id\":\"not-a-number\"") && l.endsWith("}")));
        assertTrue(broken.stream().anyMatch(l -> l.startsWith("{\"user_ts\"") && !l.endsWith("}")));
        assertEquals(messages(builder(4, Packing.ONE, 0.1), 3000), messages(builder(4, Packing.ONE, 0.1), 3000));
    }

    @Test
    void valid_events_should_be_the_same_whatever_the_malformed_ratio() {
        List<String> clean = messages(builder(5, Packing.ONE, 0), 2000);
        List<String> withBroken = messages(builder(5, Packing.ONE, 0.3), 2000);
        for (int i = 0; i < clean.size(); i++) {
            String line = withBroken.get(i);
            if (line.startsWith("{") && line.endsWith("}") && !line.contains("not-a-number")) {
                assertEquals(clean.get(i), line);
            }
        }
    }

    @Test
    void packing_should_accept_a_positive_number_or_random_only() {
        assertEquals(new Packing(0, true), Packing.parse("RANDOM"));
        assertEquals(7, Packing.parse("7").lines());
        assertThrows(IllegalArgumentException.class, () -> Packing.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Packing.parse("many"));
    }
}
