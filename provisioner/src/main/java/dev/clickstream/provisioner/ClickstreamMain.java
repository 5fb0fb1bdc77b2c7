package dev.clickstream.provisioner;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.log.LogFormat;

/** Entry point of the {@code clickstream} launcher. */
public final class ClickstreamMain {
    private ClickstreamMain() {
    }

    public static void main(String[] args) {
        LogFormat.apply(args);
        System.exit(Cli.run(new ClickstreamCommand(), args));
    }
}
