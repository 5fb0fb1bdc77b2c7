package dev.clickstream.common.log;

import java.util.Locale;

/**
 * How a tool writes its log: slf4j-simple's text lines (the default), or one JSON object per line for a log
 * shipper. Chosen by {@code --log-format} or {@code CLICKSTREAM_LOG_FORMAT} before the first logger exists,
 * because SLF4J binds its provider once, at the first {@code LoggerFactory} call.
 */
public enum LogFormat {
    TEXT, JSON;

    public static final String OPTION = "--log-format";
    public static final String ENV = "CLICKSTREAM_LOG_FORMAT";

    /** Binds SLF4J to the JSON provider when the arguments or the environment ask for JSON; call first in main. */
    public static LogFormat apply(String[] args) {
        LogFormat format = of(args, System.getenv(ENV));
        if (format == JSON) {
            System.setProperty("slf4j.provider", JsonLogProvider.class.getName());
            // SLF4J announces an explicitly named provider on stderr, which would be the one line that is not JSON.
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        return format;
    }

    /** The flag wins over the environment; a value neither names is left for picocli to refuse. */
    static LogFormat of(String[] args, String env) {
        for (int i = 0; i < args.length; i++) {
            String value = null;
            if (args[i].startsWith(OPTION + "=")) {
                value = args[i].substring(OPTION.length() + 1);
            } else if (args[i].equals(OPTION) && i + 1 < args.length) {
                value = args[i + 1];
            }
            if (value != null) {
                return parse(value);
            }
        }
        return env == null ? TEXT : parse(env);
    }

    private static LogFormat parse(String value) {
        return "json".equals(value.trim().toLowerCase(Locale.ROOT)) ? JSON : TEXT;
    }
}
