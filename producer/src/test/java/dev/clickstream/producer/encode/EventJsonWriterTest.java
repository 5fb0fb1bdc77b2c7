package dev.clickstream.producer.encode;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.producer.generate.EventDraft;
import dev.clickstream.producer.generate.EventGenerator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventJsonWriterTest {

    @Test
    void should_write_exactly_what_the_shared_codec_writes_for_the_same_event() {
        EventGenerator g = new EventGenerator(EventGenerator.Settings.of(5, 1_735_689_600_000_000L));
        EventJsonWriter writer = new EventJsonWriter();
        EventDraft draft = new EventDraft();
        ByteSink buf = new ByteSink(16);
        for (int i = 0; i < 100_000; i++) {
            g.next(draft);
            buf.reset();
            writer.write(draft, buf);
            ClickEvent event = draft.toClickEvent();
            String expected = ClickEventJson.toJson(event);
            assertEquals(expected, buf.toString());
            assertEquals(event, ClickEventJson.parse(buf.toString()));
        }
    }

    @Test
    void should_write_unsigned_and_fixed_width_numbers() {
        ByteSink buf = new ByteSink(4);
        for (long v : new long[] {0, 9, 10, 99, 100, 12345, Long.MAX_VALUE, Long.MIN_VALUE, -1, -10, 1L << 53}) {
            buf.reset();
            buf.writeUnsigned(v);
            assertEquals(Long.toUnsignedString(v), buf.toString());
        }
        buf.reset();
        buf.writeFixedDigits(4207, 6);
        buf.writeHex(0xABCDEF0123L, 12);
        assertEquals("004207abcdef0123".substring(0, 6) + "00abcdef0123", buf.toString());
    }

    @Test
    void timestamps_should_be_rfc_3339_utc_with_microseconds() {
        assertEquals("2025-01-01T00:00:00.000000Z", Timestamps.format(1_735_689_600_000_000L));
        assertEquals("2026-11-25T10:15:30.123456Z", Timestamps.format(1_795_601_730_123_456L));
        assertEquals("1969-12-31T23:59:59.999999Z", Timestamps.format(-1));
        Timestamps t = new Timestamps();
        ByteSink buf = new ByteSink(32);
        long micros = 1_735_689_599_999_999L; // the last microsecond of 2024, then the next day
        t.write(micros, buf);
        t.write(micros + 1, buf);
        assertEquals("2024-12-31T23:59:59.999999Z2025-01-01T00:00:00.000000Z", buf.toString());
    }
}
