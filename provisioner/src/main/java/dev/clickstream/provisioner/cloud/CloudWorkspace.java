package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ProfileStore;
import com.fasterxml.jackson.core.type.TypeReference;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the cloud path keeps in the state folder, per cloud ({@code <state-dir>/cloud/<cloud>/}): Terraform's
 * state and plugins, the variables of the last apply (destroy needs the same ones) and the CA bundle.
 */
final class CloudWorkspace {
    private final Path stateDir;
    private final Cloud cloud;
    private final Path dir;

    CloudWorkspace(Path stateDir, Cloud cloud) {
        this.stateDir = stateDir;
        this.cloud = cloud;
        this.dir = stateDir.resolve("cloud").resolve(cloud.name());
    }

    Cloud cloud() {
        return cloud;
    }

    Path dir() {
        return dir;
    }

    Path profileFile() {
        return stateDir.resolve(ProfileStore.FILE_NAME);
    }

    Path stateFile() {
        return dir.resolve("terraform.tfstate");
    }

    Path dataDir() {
        return dir.resolve("terraform-data");
    }

    Path caBundle() {
        return dir.resolve("ca-bundle.pem");
    }

    private Path variablesFile() {
        return dir.resolve("variables.json");
    }

    /** True when an apply ran here and its variables are kept. */
    boolean applied() {
        return Files.isRegularFile(variablesFile());
    }

    void create() {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UserFacingException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    Map<String, String> readVariables() {
        if (!applied()) {
            return Map.of();
        }
        try {
            return ProfileStore.mapper().readValue(variablesFile().toFile(), new TypeReference<LinkedHashMap<String, String>>() {
            });
        } catch (IOException e) {
            throw new UserFacingException("cannot read " + variablesFile() + ": " + e.getMessage(), e);
        }
    }

    void writeVariables(Map<String, String> variables) {
        writePrivate(variablesFile(), variables);
    }

    /** After a destroy: the next apply starts from the flags again. */
    void forgetVariables() {
        try {
            Files.deleteIfExists(variablesFile());
        } catch (IOException e) {
            throw new UserFacingException("cannot delete " + variablesFile() + ": " + e.getMessage(), e);
        }
    }

    void forgetProfileFiles() {
        try {
            Files.deleteIfExists(caBundle());
        } catch (IOException e) {
            throw new UserFacingException("cannot delete " + caBundle() + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file readable by its owner only, replacing the old one atomically. */
    void writePrivate(Path file, Object jsonValue) {
        create();
        try {
            Path tmp = Files.createTempFile(dir, ".write", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            if (jsonValue instanceof String text) {
                Files.writeString(tmp, text);
            } else {
                ProfileStore.mapper().writeValue(tmp.toFile(), jsonValue);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
