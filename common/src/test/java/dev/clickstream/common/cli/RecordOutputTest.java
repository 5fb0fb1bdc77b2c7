package dev.clickstream.common.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecordOutputTest {

    @Test
    void records_written_as_bytes_should_reach_a_writer_as_the_same_text() {
        StringWriter text = new StringWriter();
        RecordOutput out = RecordOutput.of(new PrintWriter(text));
        StringBuilder expected = new StringBuilder();
        // Enough lines to drain the buffer several times, with characters of 2, 3 and 4 bytes in UTF-8.
        for (int i = 0; i < 5000; i++) {
            String line = "{\"n\":" + i + ",\"city\":\"Zürich\",\"sign\":\"€\",\"emoji\":\"\uD83D\uDE00\"}";
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write((byte) '\n');
            expected.append(line).append('\n');
        }
        out.flush();
        assertEquals(expected.toString(), text.toString());
    }

    @Test
    void a_record_larger_than_the_buffer_should_arrive_whole() {
        StringWriter text = new StringWriter();
        RecordOutput out = RecordOutput.of(new PrintWriter(text));
        String big = "x".repeat(200_000);
        out.write(big.getBytes(StandardCharsets.UTF_8));
        out.write((byte) '\n');
        out.flush();
        assertEquals(big + "\n", text.toString());
    }
}
