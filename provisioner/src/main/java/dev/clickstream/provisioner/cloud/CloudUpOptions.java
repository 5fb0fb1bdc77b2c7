package dev.clickstream.provisioner.cloud;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of {@code up} that choose and shape a cloud stack instead of the local one. */
public class CloudUpOptions {
    @Option(names = "--cloud", arity = "0..1", fallbackValue = "aiven", paramLabel = "aiven|doublecloud",
            description = "Create managed Kafka and ClickHouse with Terraform instead of the local stack:"
                    + " aiven (the default when no value is given) or doublecloud.")
    Cloud cloud;

    @Option(names = "--project", paramLabel = "ID",
            description = "With --cloud: the Aiven project name or the DoubleCloud project id (default: the last one used).")
    String project;

    @Option(names = "--my-ip", paramLabel = "A.B.C.D",
            description = "With --cloud: the IPv4 address the clusters let in (default: this machine's public one).")
    String myIp;

    @Option(names = "--my-ipv6", paramLabel = "ADDRESS",
            description = "With --cloud: the IPv6 address the clusters let in (default: this machine's public one,"
                    + " if it has one; an empty value for none).")
    String myIpv6;

    @Mixin
    TerraformOptions terraform;

    // Where the public addresses are asked for; tests point them at a local server.
    @Option(names = "--ip-lookup-url", hidden = true, defaultValue = PublicAddresses.DEFAULT_IPV4_LOOKUP)
    String ipv4LookupUrl;

    @Option(names = "--ipv6-lookup-url", hidden = true, defaultValue = PublicAddresses.DEFAULT_IPV6_LOOKUP)
    String ipv6LookupUrl;

    public boolean requested() {
        return cloud != null;
    }

    /** An option that means something only with --cloud, when one was given without it. */
    public java.util.Optional<String> strayOption() {
        if (project != null) {
            return java.util.Optional.of("--project");
        }
        if (myIp != null) {
            return java.util.Optional.of("--my-ip");
        }
        if (myIpv6 != null) {
            return java.util.Optional.of("--my-ipv6");
        }
        return terraform.strayOption();
    }
}
