package dev.clickstream.common.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The state folder of a local stack: {@code --state-dir}, else {@code $CLICKSTREAM_STATE_DIR}, else ./.clickstream. */
public class StateDirOptions {
    public static final String STATE_DIR_ENV = "CLICKSTREAM_STATE_DIR";

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "State folder of the stack (default: $" + STATE_DIR_ENV + " or ./.clickstream).")
    Path stateDir;

    public StateDirOptions() {
    }

    public StateDirOptions(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path stateDir() {
        if (stateDir != null) {
            return stateDir.toAbsolutePath().normalize();
        }
        String env = System.getenv(STATE_DIR_ENV);
        return Path.of(env != null && !env.isBlank() ? env : ".clickstream").toAbsolutePath().normalize();
    }
}
