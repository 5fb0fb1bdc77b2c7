package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Finds the Terraform (or OpenTofu) executable: the one given, else terraform, else tofu on PATH. */
final class TerraformBinary {
    static final String INSTALL_HINT = "install Terraform (https://developer.hashicorp.com/terraform/install)"
            + " or pass --terraform-bin PATH (OpenTofu's tofu works too)";

    private TerraformBinary() {
    }

    static Path locate(Path given, Map<String, String> env) {
        if (given != null) {
            if (Files.isRegularFile(given) && Files.isExecutable(given)) {
                return given.toAbsolutePath();
            }
            throw new UserFacingException("--terraform-bin " + given + " is not an executable file: " + INSTALL_HINT);
        }
        return onPath("terraform", env).or(() -> onPath("tofu", env)).orElseThrow(() ->
                new UserFacingException("terraform is not on PATH: " + INSTALL_HINT));
    }

    static Optional<Path> onPath(String name, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
