package dev.clickstream.common.log;

import org.slf4j.event.Level;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * The levels of the jar's simplelogger.properties ({@code defaultLogLevel}, {@code log.<logger prefix>}), so
 * the JSON log is exactly as verbose as the text one.
 */
final class LogLevels {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private final Properties properties;

    private LogLevels(Properties properties) {
        this.properties = properties;
    }

    static LogLevels fromClasspath() {
        Properties p = new Properties();
        try (InputStream in = LogLevels.class.getClassLoader().getResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read simplelogger.properties: " + e.getMessage(), e);
        }
        return new LogLevels(p);
    }

    static LogLevels of(Properties p) {
        return new LogLevels(p);
    }

    /** The level of the longest configured prefix of {@code logger} (by dots), else the default, else info; null is off. */
    Level levelOf(String logger) {
        String name = logger;
        while (true) {
            String v = properties.getProperty(PREFIX + "log." + name);
            if (v != null) {
                return parse(v);
            }
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                break;
            }
            name = name.substring(0, dot);
        }
        return parse(properties.getProperty(PREFIX + "defaultLogLevel", "info"));
    }

    private static Level parse(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        return "OFF".equals(v) ? null : Level.valueOf(v);
    }
}
