package dev.clickstream.consumer;

import dev.clickstream.common.cli.Cli;

/** Entry point of {@code java -jar consumer.jar}. */
public final class ConsumerMain {
    private ConsumerMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new ConsumerCommand(), args));
    }
}
