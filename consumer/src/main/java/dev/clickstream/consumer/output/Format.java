package dev.clickstream.consumer.output;

/** How the consumer prints a message. */
public enum Format {
    /** Each JSON line of the message as it was written, one per output line; empty lines skipped. */
    JSON,
    /** The message value exactly as stored, then a newline (an empty message prints an empty line). */
    RAW,
    /** Each JSON line indented over several lines, for reading; a line that is not JSON prints as it is. */
    PRETTY
}
