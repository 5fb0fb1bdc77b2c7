package dev.clickstream.common.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object per line: time, level, logger, message, every {@code key=value} of the message as its own key
 * (numbers as numbers), and the exception. The tools write their progress in key=value form, so a log shipper
 * gets {@code rows_per_s} and {@code lag} as fields without parsing the text.
 */
final class JsonLogger extends LegacyAbstractLogger {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern PAIR = Pattern.compile("(?:^|\\s)([a-z][a-z0-9_]*)=(\\S+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}(\\.\\d+)?");
    private static final Set<String> OWN_KEYS = Set.of("time", "level", "logger", "message", "exception");

    private final Level threshold;
    private final PrintStream out;

    JsonLogger(String name, Level threshold, PrintStream out) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return threshold != null && level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                               Throwable throwable) {
        String line = line(Instant.now(), level, name, MessageFormatter.basicArrayFormat(pattern, arguments), throwable);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static String line(Instant time, Level level, String logger, String message, Throwable throwable) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("level", level.name());
            g.writeStringField("logger", logger);
            g.writeStringField("message", message);
            Matcher m = PAIR.matcher(message);
            Set<String> written = new java.util.HashSet<>(OWN_KEYS);
            while (m.find()) {
                String key = m.group(1);
                if (!written.add(key)) {
                    continue;
                }
                String value = m.group(2);
                if (NUMBER.matcher(value).matches()) {
                    g.writeFieldName(key);
                    g.writeNumber(value);
                } else {
                    g.writeStringField(key, value);
                }
            }
            if (throwable != null) {
                StringWriter trace = new StringWriter();
                throwable.printStackTrace(new java.io.PrintWriter(trace));
                g.writeStringField("exception", trace.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
