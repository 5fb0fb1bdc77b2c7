package dev.clickstream.transfer.parse;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MessageLinesTest {
    private static List<String> lines(String value) {
        List<String> seen = new ArrayList<>();
        MessageLines.forEach(value == null ? null : value.getBytes(StandardCharsets.UTF_8), (i, d, o, l) ->
                seen.add(i + ":" + new String(d, o, l, StandardCharsets.UTF_8)));
        return seen;
    }

    @Test
    void every_line_keeps_its_index_and_blank_ones_are_skipped() {
        assertEquals(List.of("0:a", "1:b", "3:c"), lines("a\nb\n \nc\n"));
        assertEquals(List.of("0:a", "1:b"), lines("a\r\nb"));
        assertEquals(List.of(), lines(""));
        assertEquals(List.of(), lines(null));
        assertEquals(List.of("1:x"), lines("\nx"));
    }
}
