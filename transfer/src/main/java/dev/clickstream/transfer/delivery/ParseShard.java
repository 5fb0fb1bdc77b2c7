package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.EncodedRows;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.parse.JsonLineParser;
import dev.clickstream.transfer.parse.MessageLines;
import dev.clickstream.transfer.parse.ParseOutcome;
import dev.clickstream.transfer.parse.Row;
import dev.clickstream.transfer.parse.ValueFit;
import dev.clickstream.transfer.schema.ColumnKind;
import dev.clickstream.transfer.schema.TableLayout;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses messages into one shard of a batch: its own parser and rows, so several shards can parse the
 * records of one poll at the same time. Lines already in ClickHouse (a partition being recovered) are
 * skipped; lines that fail go to the unparsed rows with their raw text and reason.
 */
final class ParseShard {

    /**
     * A partition being re-read after a restart or rebalance: the offsets its newest logged batches covered
     * and which of their lines are already in ClickHouse.
     */
    record Recovery(long firstOffset, long lastOffset, Set<RowKey> present) {
    }

    /** Where a layout keeps the message's coordinates; looked up once per layout, used for every line. */
    private record SourceColumns(int topic, int partition, int offset, int line, int timestamp) {
        static SourceColumns of(TableLayout layout) {
            return new SourceColumns(layout.indexOf(ColumnKind.TOPIC), layout.indexOf(ColumnKind.PARTITION),
                    layout.indexOf(ColumnKind.OFFSET), layout.indexOf(ColumnKind.LINE),
                    layout.indexOf(ColumnKind.TIMESTAMP));
        }

        void set(Row r, ConsumerRecord<byte[], byte[]> record, int line) {
            r.setString(topic, record.topic());
            r.setLong(partition, record.partition());
            r.setLong(offset, record.offset());
            r.setLong(this.line, line);
            // A message without a timestamp (-1, from old producers) reads as the epoch rather than failing the insert.
            r.setLong(timestamp, Math.max(0, record.timestamp()) * 1000L);
        }
    }

    private final JsonLineParser parser;
    private final Row row;
    private final Row unparsedRow;
    private final SourceColumns targetSource;
    private final SourceColumns unparsedSource;
    private final int rawColumn;
    private final int reasonColumn;
    private final ValueFit fit;
    private final LineSink lines = new LineSink();

    ParseShard(TableLayout target, TableLayout unparsed, boolean nullKeysAllowed, boolean schemaEvolution) {
        this.parser = new JsonLineParser(target, nullKeysAllowed, schemaEvolution);
        this.row = new Row(target.columns().size());
        this.unparsedRow = new Row(unparsed.columns().size());
        this.targetSource = SourceColumns.of(target);
        this.unparsedSource = SourceColumns.of(unparsed);
        this.rawColumn = unparsed.indexOf(ColumnKind.RAW);
        this.reasonColumn = unparsed.indexOf(ColumnKind.REASON);
        this.fit = new ValueFit(target);
    }

    /**
     * Parses records {@code [from, to)} into the two encoded-row buffers. Stops at the first record with a
     * field schema evolution must add and returns true (its lines may be partly added).
     */
    boolean parse(List<ConsumerRecord<byte[], byte[]>> records, Recovery[] recoveries, int from, int to,
              EncodedRows target, EncodedRows unparsed) {
        for (int i = from; i < to; i++) {
            if (addLines(records.get(i), recoveries[i], target, unparsed) != null) {
                return true;
            }
        }
        return false;
    }

    /** Adds one message's lines; returns the new fields when schema evolution must run first, else null. */
    Map<String, FieldType> addLines(ConsumerRecord<byte[], byte[]> record, Recovery recovery, EncodedRows target,
                                    EncodedRows unparsed) {
        lines.start(record, recovery, target, unparsed);
        MessageLines.forEach(record.value(), lines);
        return lines.newFields;
    }

    /** Receives the lines of the current message; one per shard, reused (a lambda per message showed in profiles). */
    private final class LineSink implements MessageLines.Consumer {
        private ConsumerRecord<byte[], byte[]> record;
        private Recovery recovery;
        private EncodedRows target;
        private EncodedRows unparsed;
        private Map<String, FieldType> newFields;
        /** The fast path gave up on the line about to be handed to {@link #line}. */
        private boolean scanned;

        void start(ConsumerRecord<byte[], byte[]> r, Recovery rec, EncodedRows t, EncodedRows u) {
            record = r;
            recovery = rec;
            target = t;
            unparsed = u;
            newFields = null;
        }

        /** The fast path: the line read and its end found in one pass; lines of a recovery window take the slow one. */
        @Override
        public int tryLine(int index, byte[] data, int offset, int end) {
            scanned = false;
            if (newFields != null || recovery != null) {
                return -1;
            }
            row.clear();
            int lineEnd = parser.scanLine(data, offset, end, row);
            if (lineEnd < 0) {
                scanned = true;
                return -1;
            }
            targetSource.set(row, record, index);
            String misfit = fit.apply(row);
            if (misfit == null) {
                target.add(row, record.partition(), record.offset(), index);
            } else {
                int length = lineEnd - offset;
                while (length > 0 && data[offset + length - 1] == '\r') {
                    length--;
                }
                addUnparsed(data, offset, length, index, misfit);
            }
            return lineEnd;
        }

        @Override
        public void line(int index, byte[] data, int offset, int length) {
            if (newFields != null) {
                return;
            }
            int partition = record.partition();
            if (recovery != null && recovery.present().contains(new RowKey(partition, record.offset(), index))) {
                return;
            }
            row.clear();
            // A line the fast path already tried goes straight to the full parser.
            ParseOutcome outcome = scanned ? parser.parseFully(data, offset, length, row)
                    : parser.parse(data, offset, length, row);
            scanned = false;
            if (outcome instanceof ParseOutcome.Ok) {
                targetSource.set(row, record, index);
                String misfit = fit.apply(row);
                if (misfit == null) {
                    target.add(row, partition, record.offset(), index);
                } else {
                    addUnparsed(data, offset, length, index, misfit);
                }
            } else if (outcome instanceof ParseOutcome.Unparsed u) {
                addUnparsed(data, offset, length, index, u.reason());
            } else if (outcome instanceof ParseOutcome.NewFields nf) {
                newFields = new LinkedHashMap<>(nf.fields());
            }
        }

        private void addUnparsed(byte[] data, int offset, int length, int index, String reason) {
            unparsedRow.clear();
            unparsedSource.set(unparsedRow, record, index);
            byte[] raw = new byte[length];
            System.arraycopy(data, offset, raw, 0, length);
            unparsedRow.setBytes(rawColumn, raw);
            unparsedRow.setString(reasonColumn, reason);
            unparsed.add(unparsedRow, record.partition(), record.offset(), index);
        }
    }
}
