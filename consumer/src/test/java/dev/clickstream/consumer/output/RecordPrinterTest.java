package dev.clickstream.consumer.output;

import dev.clickstream.common.cli.RecordOutput;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordPrinterTest {

    private static String print(Format format, boolean metadata, String... values) {
        StringWriter text = new StringWriter();
        RecordPrinter printer = new RecordPrinter(format, metadata, RecordOutput.of(new PrintWriter(text)));
        long offset = 0;
        for (String v : values) {
            printer.print(v == null ? null : ByteBuffer.wrap(v.getBytes(StandardCharsets.UTF_8)), 2, offset++,
                    1_735_689_600_000L);
        }
        printer.flush();
        return text.toString();
    }

    @Test
    void json_should_print_each_line_of_a_packed_message_and_skip_empty_ones() {
        assertEquals("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n{\"d\":4}\n",
                print(Format.JSON, false, "{\"a\":1}", "{\"b\":2}\n\n{\"c\":3}\r\n", "", null, "{\"d\":4}\n"));
    }

    @Test
    void raw_should_print_values_exactly_with_a_newline_each() {
        assertEquals("{\"b\":2}\n\n{\"c\":3}\n\n\nnot json\n",
                print(Format.RAW, false, "{\"b\":2}\n\n{\"c\":3}", "", null, "not json"));
    }

    @Test
    void pretty_should_indent_json_keep_big_ids_and_leave_other_lines_alone() {
        String out = print(Format.PRETTY, false, "{\"id\":18446744073709551615,\"tags\":[\"x\"]}\nnot json\n{\"cut\":");
        assertEquals("{\n  \"id\" : 18446744073709551615,\n  \"tags\" : [ \"x\" ]\n}\nnot json\n{\"cut\":\n", out);
    }

    @Test
    void metadata_should_start_every_line_with_partition_offset_and_timestamp() {
        assertEquals("partition=2 offset=0 timestamp=2025-01-01T00:00:00Z\t{\"a\":1}\n"
                        + "partition=2 offset=0 timestamp=2025-01-01T00:00:00Z\t{\"b\":2}\n",
                print(Format.JSON, true, "{\"a\":1}\n{\"b\":2}"));
    }

    @Test
    void values_outside_the_heap_should_print_the_same() {
        StringWriter text = new StringWriter();
        RecordPrinter printer = new RecordPrinter(Format.JSON, false, RecordOutput.of(new PrintWriter(text)));
        byte[] bytes = "{\"a\":1}\n{\"b\":2}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        printer.print(direct, 0, 0, 0);
        printer.flush();
        assertEquals("{\"a\":1}\n{\"b\":2}\n", text.toString());
        assertEquals(2, printer.lines());
    }
}
