package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TerraformBinaryTest {
    @TempDir
    Path dir;

    @Test
    void should_say_how_to_install_terraform_when_it_is_not_on_path() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("bin"));
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TerraformBinary.locate(null, Map.of("PATH", empty.toString())));
        assertEquals("terraform is not on PATH: " + TerraformBinary.INSTALL_HINT, e.getMessage());
        assertTrue(e.getMessage().contains("https://developer.hashicorp.com/terraform/install"));
        assertEquals(1, e.exitCode());
    }

    @Test
    void should_prefer_terraform_and_fall_back_to_opentofu() throws Exception {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        Path tofu = executable(first.resolve("tofu"));
        Map<String, String> env = Map.of("PATH", first + ":" + second);
        assertEquals(tofu, TerraformBinary.locate(null, env));
        Path terraform = executable(second.resolve("terraform"));
        assertEquals(terraform, TerraformBinary.locate(null, env));
    }

    @Test
    void should_reject_a_given_file_that_is_not_executable() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("terraform"), "");
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> TerraformBinary.locate(notExecutable, Map.of()));
        assertTrue(e.getMessage().startsWith("--terraform-bin " + notExecutable + " is not an executable file"),
                e.getMessage());
        assertEquals(executable(notExecutable), TerraformBinary.locate(notExecutable, Map.of()));
    }

    private static Path executable(Path file) throws Exception {
        if (!Files.exists(file)) {
            Files.writeString(file, "#!/bin/sh\n");
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file.toAbsolutePath();
    }
}
