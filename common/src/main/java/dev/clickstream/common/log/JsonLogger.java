package dev.clickstream.common.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON object per line: time, level, logger, message, the fields, and the exception. The fields are, first
 * wins: the event's key-value pairs ({@code log.atInfo().addKeyValue("lag", 3)}), the thread's MDC, then every
 * {@code key=value} of the message (numbers as numbers). The tools write their progress in key=value form, so a
 * log shipper gets {@code rows_per_s} and {@code lag} as fields without parsing the text.
 */
final class JsonLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern PAIR = Pattern.compile("(?:^|\\s)([a-z][a-z0-9_]*)=(\\S+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}(\\.\\d+)?");
    private static final Set<String> OWN_KEYS = Set.of("time", "level", "logger", "message", "exception");

    private final Level threshold;
    private final PrintStream out;
    private final MDCAdapter mdc;

    JsonLogger(String name, Level threshold, PrintStream out, MDCAdapter mdc) {
        this.name = name;
        this.threshold = threshold;
        this.out = out;
        this.mdc = mdc;
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
        print(line(Instant.now(), level, name, MessageFormatter.basicArrayFormat(pattern, arguments), throwable,
                fields(List.of())));
    }

    /** The fluent API's events ({@code atInfo()...log()}) arrive here, with their key-value pairs. */
    @Override
    public void log(LoggingEvent event) {
        if (!enabled(event.getLevel())) {
            return;
        }
        Object[] arguments = event.getArgumentArray();
        String message = MessageFormatter.basicArrayFormat(event.getMessage(), arguments);
        Throwable throwable = event.getThrowable();
        if (throwable == null) {
            throwable = MessageFormatter.getThrowableCandidate(arguments);
        }
        print(line(Instant.ofEpochMilli(event.getTimeStamp() > 0 ? event.getTimeStamp() : System.currentTimeMillis()),
                event.getLevel(), name, message, throwable,
                fields(event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs())));
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private Map<String, Object> fields(List<KeyValuePair> pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (KeyValuePair p : pairs) {
            fields.putIfAbsent(p.key, p.value);
        }
        Map<String, String> context = mdc.getCopyOfContextMap();
        if (context != null) {
            context.forEach(fields::putIfAbsent);
        }
        return fields;
    }

    static String line(Instant time, Level level, String logger, String message, Throwable throwable) {
        return line(time, level, logger, message, throwable, Map.of());
    }

    static String line(Instant time, Level level, String logger, String message, Throwable throwable,
                       Map<String, Object> fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", time.toString());
            g.writeStringField("level", level.name());
            g.writeStringField("logger", logger);
            g.writeStringField("message", message);
            Set<String> written = new java.util.HashSet<>(OWN_KEYS);
            for (Map.Entry<String, Object> f : fields.entrySet()) {
                if (written.add(f.getKey())) {
                    writeValue(g, f.getKey(), f.getValue());
                }
            }
            Matcher m = PAIR.matcher(message);
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

    private static void writeValue(JsonGenerator g, String key, Object value) throws IOException {
        g.writeFieldName(key);
        if (value == null) {
            g.writeNull();
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            g.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(String.valueOf(value));
        }
    }
}
