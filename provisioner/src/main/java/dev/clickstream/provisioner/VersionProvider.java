package dev.clickstream.provisioner;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the jar's manifest at build time. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = ClickstreamCommand.class.getPackage().getImplementationVersion();
        return new String[] {"clickstream " + (v == null ? "(development build)" : v),
                "Java " + System.getProperty("java.version")};
    }
}
