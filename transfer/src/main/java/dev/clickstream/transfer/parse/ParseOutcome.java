package dev.clickstream.transfer.parse;

import dev.clickstream.transfer.config.FieldType;

import java.util.Map;

/**
 * What became of one line: a row, a reason it is unparsed, or top-level fields that schema evolution
 * wants as new columns before the line can be parsed.
 */
public sealed interface ParseOutcome {
    ParseOutcome OK = new Ok();

    record Ok() implements ParseOutcome {
    }

    record Unparsed(String reason) implements ParseOutcome {
    }

    record NewFields(Map<String, FieldType> fields) implements ParseOutcome {
    }
}
