package dev.clickstream.provisioner;

import dev.clickstream.common.cli.Cli;

/** Entry point of the {@code clickstream} launcher. */
public final class ClickstreamMain {
    private ClickstreamMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new ClickstreamCommand(), args));
    }
}
