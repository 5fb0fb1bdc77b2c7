package dev.clickstream.common.log;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SLF4J provider behind {@code --log-format json}: JSON lines on stderr at the levels of
 * simplelogger.properties, with the thread's MDC and an event's key-value pairs as fields. Not registered as a service, so slf4j-simple stays the default; {@link LogFormat}
 * names this class in {@code slf4j.provider}.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    private final IMarkerFactory markers = new BasicMarkerFactory();
    /** Per thread, as MDC is everywhere: a transfer's loop puts its instance and topic there. */
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private ILoggerFactory loggers;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        LogLevels levels = LogLevels.fromClasspath();
        ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();
        loggers = name -> byName.computeIfAbsent(name, n -> new JsonLogger(n, levels.levelOf(n), System.err, mdc));
    }
}
