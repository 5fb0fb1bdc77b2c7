package dev.clickstream.common.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code --version} prints on every command: the version and the git commit the jars were built from
 * (build.properties, written by git-commit-id-maven-plugin), "+ changes" when the tree was not clean.
 */
public final class BuildInfo implements IVersionProvider {
    private static final Properties BUILD = load();

    private final String tool;

    public BuildInfo(String tool) {
        this.tool = tool;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/dev/clickstream/common/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    public static String version() {
        return BUILD.getProperty("git.build.version", "(development build)");
    }

    /** The abbreviated commit, with " + changes" for a dirty tree; "unknown" outside a git checkout. */
    public static String commit() {
        String id = BUILD.getProperty("git.commit.id.abbrev", "");
        if (id.isEmpty()) {
            return "unknown";
        }
        return id + ("true".equals(BUILD.getProperty("git.dirty")) ? " + changes" : "");
    }

    @Override
    public String[] getVersion() {
        String date = BUILD.getProperty("git.commit.time", "");
        return new String[] {tool + " " + version() + ", commit " + commit() + (date.isEmpty() ? "" : " of " + date),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
