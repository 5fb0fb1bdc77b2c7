package dev.clickstream.provisioner.cloud;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code down} that destroy a cloud stack instead of stopping the local one. */
public class CloudDownOptions {
    @Option(names = "--cloud", arity = "0..1", paramLabel = "aiven|doublecloud",
            description = "Destroy the cloud stack `up --cloud` created from this state folder (terraform destroy)"
                    + " after a confirmation; the value is needed only when it created more than one.")
    String cloud;

    @Option(names = {"-y", "--yes"}, description = "With --cloud: destroy without asking.")
    boolean yes;

    @Mixin
    TerraformOptions terraform;

    public boolean requested() {
        return cloud != null;
    }

    /** An option that means something only with --cloud, when one was given without it. */
    public java.util.Optional<String> strayOption() {
        return yes ? java.util.Optional.of("--yes") : terraform.strayOption();
    }
}
