package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.error.UserFacingException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Which Terraform runs which module: shared by {@code up --cloud} and {@code down --cloud}. */
public class TerraformOptions {
    @Option(names = "--terraform-bin", paramLabel = "PATH",
            description = "Terraform, or OpenTofu's tofu, to run (default: terraform on PATH, else tofu).")
    Path terraformBin;

    @Option(names = "--terraform-dir", paramLabel = "DIR",
            description = "Root module to apply (default: terraform/<cloud> of this checkout).")
    Path terraformDir;

    java.util.Optional<String> strayOption() {
        if (terraformBin != null) {
            return java.util.Optional.of("--terraform-bin");
        }
        return terraformDir != null ? java.util.Optional.of("--terraform-dir") : java.util.Optional.empty();
    }

    Path binary() {
        return TerraformBinary.locate(terraformBin, System.getenv());
    }

    /** The module folder: the one given, else terraform/<cloud> under clickstream's home or a parent of the working folder. */
    Path moduleDir(Cloud cloud) {
        if (terraformDir != null) {
            if (!hasTerraformFiles(terraformDir)) {
                throw new UserFacingException("--terraform-dir " + terraformDir + " holds no .tf files", ExitCodes.USAGE,
                        null);
            }
            return terraformDir.toAbsolutePath().normalize();
        }
        String home = System.getProperty("clickstream.home");
        Stream<Path> roots = Stream.iterate(Path.of("").toAbsolutePath(), p -> p != null, Path::getParent);
        if (home != null && !home.isBlank()) {
            roots = Stream.concat(Stream.of(Path.of(home)), roots);
        }
        return roots.map(root -> root.resolve("terraform").resolve(cloud.name()))
                .filter(TerraformOptions::hasTerraformFiles).findFirst()
                .map(p -> p.toAbsolutePath().normalize())
                .orElseThrow(() -> new UserFacingException("cannot find the module terraform/" + cloud.name()
                        + " (run from the clickstream checkout, or pass --terraform-dir DIR)"));
    }

    private static boolean hasTerraformFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".tf"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
