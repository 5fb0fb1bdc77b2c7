package dev.clickstream.transfer;

import dev.clickstream.common.cli.Cli;

/** {@code java -jar transfer.jar --config transfer.yaml}. */
public final class TransferMain {
    private TransferMain() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new TransferCommand(), args));
    }
}
