package dev.clickstream.transfer;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.log.LogFormat;

/** {@code java -jar transfer.jar --config transfer.yaml}. */
public final class TransferMain {
    private TransferMain() {
    }

    public static void main(String[] args) {
        LogFormat.apply(args);
        System.exit(Cli.run(new TransferCommand(), args));
    }
}
