package dev.clickstream.transfer.batch;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.TableLayout;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteSinkTest {
    /** 'a', an emoji (a surrogate pair), 'b', a lone high surrogate (a JSON backslash-u escape can make one), 'c'. */
    private static final String TEXT = "a\uD83D\uDE00b\uD800c";
    private static final byte[] UTF8 = {10, 'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, 'b',
            (byte) 0xEF, (byte) 0xBF, (byte) 0xBD, 'c'};

    @Test
    void row_binary_strings_are_valid_utf8_with_a_lone_surrogate_as_the_replacement_character() {
        ByteSink fromChars = new ByteSink(16);
        char[] chars = ("xx" + TEXT + "yy").toCharArray();
        fromChars.writeRowBinaryChars(chars, 2, TEXT.length());
        assertArrayEquals(UTF8, fromChars.toByteArray(), "the varint length counts the bytes written");

        ByteSink fromString = new ByteSink(16);
        fromString.writeRowBinaryString(TEXT);
        assertArrayEquals(UTF8, fromString.toByteArray());
    }

    @Test
    void json_each_row_keeps_a_lone_surrogate_from_breaking_the_line() throws CharacterCodingException {
        TableLayout layout = TableLayout.unparsed(ServerVersion.parse("25.8.1"));
        Row row = new Row(layout.columns().size());
        row.setString(layout.columnNames().indexOf("reason"), "bad \uD800\"" + "\uD83D\uDE00");
        ByteSink out = new ByteSink(64);
        RowEncoder.of(InsertFormat.JSON_EACH_ROW, layout).encode(row, out);
        String json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        assertTrue(json.contains("\"reason\":\"bad \uFFFD\\\"\uD83D\uDE00\"}"), json);
    }
}
