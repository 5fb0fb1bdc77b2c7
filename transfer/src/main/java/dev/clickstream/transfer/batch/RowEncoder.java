package dev.clickstream.transfer.batch;

import dev.clickstream.common.bytes.ByteSink;
import dev.clickstream.transfer.config.InsertFormat;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.schema.TableLayout;

/** Writes rows of one table layout in the format the insert uses. */
public interface RowEncoder {
    void encode(Row row, ByteSink out);

    InsertFormat format();

    static RowEncoder of(InsertFormat format, TableLayout layout) {
        return format == InsertFormat.ROW_BINARY ? new RowBinaryEncoder(layout) : new JsonEachRowEncoder(layout);
    }
}
