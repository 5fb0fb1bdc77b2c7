package dev.clickstream.transfer.config;

import java.util.Locale;
import java.util.Optional;

/** How batches travel to ClickHouse. RowBinary is the default: it measured faster (see bench/). */
public enum InsertFormat {
    ROW_BINARY("RowBinary"),
    JSON_EACH_ROW("JSONEachRow");

    private final String clickhouseName;

    InsertFormat(String clickhouseName) {
        this.clickhouseName = clickhouseName;
    }

    public String clickhouseName() {
        return clickhouseName;
    }

    static Optional<InsertFormat> tryFromConfig(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (InsertFormat f : values()) {
            if (f.clickhouseName.toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    static InsertFormat fromConfig(String name) {
        return tryFromConfig(name).orElseThrow();
    }
}
