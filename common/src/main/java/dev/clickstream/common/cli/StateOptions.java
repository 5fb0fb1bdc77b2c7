package dev.clickstream.common.cli;

import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the local stack keeps its state and where tools find the connection profile. */
public class StateOptions extends StateDirOptions {

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Connection profile to read (default: <state-dir>/" + ProfileStore.FILE_NAME + ").")
    Path profile;

    public StateOptions() {
    }

    public StateOptions(Path stateDir, Path profile) {
        super(stateDir);
        this.profile = profile;
    }

    public Path profileFile() {
        return profile != null ? profile.toAbsolutePath().normalize() : stateDir().resolve(ProfileStore.FILE_NAME);
    }

    public boolean profileGiven() {
        return profile != null;
    }

    public ConnectionProfile loadProfile() {
        return ProfileStore.load(profileFile());
    }
}
