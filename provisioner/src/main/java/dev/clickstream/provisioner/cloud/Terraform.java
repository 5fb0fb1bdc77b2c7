package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.Secrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Runs Terraform (or OpenTofu) on one root module with its state and plugins kept in a workspace folder,
 * so the source tree stays clean. Terraform's own output is streamed as it comes, except {@code output -json},
 * which holds the passwords and is only returned.
 */
final class Terraform {
    private final Path binary;
    private final Path moduleDir;
    private final CloudWorkspace workspace;
    private final PrintWriter out;
    private final List<String> knownSecrets;

    /**
     * @param knownSecrets passwords from an earlier run, masked should Terraform ever print one
     */
    Terraform(Path binary, Path moduleDir, CloudWorkspace workspace, PrintWriter out, Collection<String> knownSecrets) {
        this.binary = binary;
        this.moduleDir = moduleDir;
        this.workspace = workspace;
        this.out = out;
        this.knownSecrets = knownSecrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    void init() {
        stream("init", "-input=false", "-no-color", "-backend-config=path=" + workspace.stateFile());
    }

    void apply(Map<String, String> variables) {
        stream(withVariables(List.of("apply", "-auto-approve", "-input=false", "-no-color"), variables));
    }

    void destroy(Map<String, String> variables) {
        stream(withVariables(List.of("destroy", "-auto-approve", "-input=false", "-no-color"), variables));
    }

    TerraformOutputs outputs() {
        Path errors = workspace.dir().resolve("output.err");
        ProcessBuilder pb = processBuilder(List.of("output", "-json")).redirectError(errors.toFile());
        try {
            Process p = start(pb, "output");
            p.getOutputStream().close();
            String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            if (exit != 0) {
                throw new UserFacingException("`" + binary.getFileName() + " output -json` failed (exit " + exit + "): "
                        + firstLine(Files.isRegularFile(errors) ? Files.readString(errors) : ""));
            }
            return TerraformOutputs.parse(json);
        } catch (IOException e) {
            throw new UserFacingException("cannot read the outputs of " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while reading terraform's outputs", e);
        } finally {
            errors.toFile().delete();
        }
    }

    private static List<String> withVariables(List<String> command, Map<String, String> variables) {
        List<String> args = new ArrayList<>(command);
        variables.forEach((name, value) -> {
            args.add("-var");
            args.add(name + "=" + value);
        });
        return args;
    }

    private void stream(String... args) {
        stream(List.of(args));
    }

    private void stream(List<String> args) {
        String what = binary.getFileName() + " " + args.get(0);
        out.println("$ " + what + " (in " + moduleDir + ")");
        out.flush();
        ProcessBuilder pb = processBuilder(args).redirectErrorStream(true);
        try {
            Process p = start(pb, args.get(0));
            p.getOutputStream().close();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    out.println(redact(line));
                    out.flush();
                }
            }
            int exit = p.waitFor();
            if (exit != 0) {
                throw new UserFacingException("`" + what + "` failed (exit " + exit + "); its output is above");
            }
        } catch (IOException e) {
            throw new UserFacingException("`" + what + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while `" + what + "` was running", e);
        }
    }

    private ProcessBuilder processBuilder(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("-chdir=" + moduleDir);
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.put("TF_DATA_DIR", workspace.dataDir().toString());
        env.put("TF_IN_AUTOMATION", "1");
        env.put("TF_INPUT", "0");
        return pb;
    }

    private Process start(ProcessBuilder pb, String subcommand) {
        try {
            workspace.create();
            return pb.start();
        } catch (IOException e) {
            throw new UserFacingException("cannot run " + binary + " " + subcommand + " (" + e.getMessage() + "): "
                    + TerraformBinary.INSTALL_HINT, e);
        }
    }

    private String redact(String line) {
        String result = line;
        for (String secret : knownSecrets) {
            result = result.replace(secret, Secrets.mask(secret));
        }
        return result;
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
