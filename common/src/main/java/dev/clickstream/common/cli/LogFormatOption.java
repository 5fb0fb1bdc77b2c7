package dev.clickstream.common.cli;

import dev.clickstream.common.log.LogFormat;
import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json} for a long-running service. The value takes effect in main, through
 * {@link LogFormat#apply}, before any logger exists; here picocli documents it and refuses a wrong value.
 */
public final class LogFormatOption {
    @Option(names = LogFormat.OPTION, paramLabel = "FORMAT", defaultValue = "${env:" + LogFormat.ENV + ":-text}",
            description = "text (default) or json: one JSON object per line on stderr with time, level, logger, "
                    + "message and each key=value of the message as its own key. The environment "
                    + "variable " + LogFormat.ENV + "=json does the same.")
    LogFormat format;
}
