package dev.clickstream.transfer.batch;

/** Where a row came from: a line of a message. Exactly once means once per key. */
public record RowKey(int partition, long offset, int line) {
}
