package dev.clickstream.producer;

import dev.clickstream.common.cli.Cli;

/** Entry point of {@code java -jar producer.jar}. */
public final class ProducerMain {
    private ProducerMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new ProducerCommand(), args));
    }
}
