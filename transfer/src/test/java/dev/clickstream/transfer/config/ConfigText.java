package dev.clickstream.transfer.config;

/** transfer.yaml from a test's text, read as the service reads a file, with no environment variables set. */
public final class ConfigText {
    private ConfigText() {
    }

    public static TransferConfig parse(String yaml) {
        return ConfigLoader.parse("test.yaml", yaml, name -> null);
    }
}
