package dev.clickstream.provisioner.launcher;

import dev.clickstream.provisioner.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each standalone jar names the commit it was built from; the completion script completes in a real bash. */
class VersionAndCompletionIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void every_jar_prints_its_tool_its_version_and_the_commit_it_was_built_from() throws Exception {
        String head = run(ROOT, "git", "rev-parse", "HEAD").trim();
        for (String[] tool : new String[][] {{"producer", "producer"}, {"consumer", "consumer"},
                {"transfer", "transfer"}, {"provisioner", "clickstream"}}) {
            Path jar = ROOT.resolve(tool[0]).resolve("target").resolve(tool[0] + ".jar");
            String out = run(ROOT, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toString(), "--version");
            String first = out.lines().findFirst().orElse("");
            assertTrue(first.startsWith(tool[1] + " 0.1.0-SNAPSHOT, commit "), out);
            String commit = first.replaceAll(".*, commit (\\w+).*", "$1");
            assertTrue(commit.length() >= 7 && head.startsWith(commit), first + " is not HEAD " + head);
        }
    }

    @Test
    void the_completion_script_completes_commands_and_option_values_in_bash() throws Exception {
        CliRun completion = CliRun.of("completion");
        assertEquals(0, completion.exitCode(), completion.toString());
        Path script = dir.resolve("clickstream-completion.bash");
        Files.writeString(script, completion.out());
        assertEquals(List.of("transfer"), complete(script, "./clickstream", "tra"));
        assertEquals(List.of("TEXT", "JSON"), complete(script, "./clickstream", "transfer", "--log-format", ""));
        assertTrue(complete(script, "clickstream", "status", "--").contains("--json"));
    }

    /** COMPREPLY for the words typed so far, the last one being completed. */
    private List<String> complete(Path script, String... words) throws Exception {
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append('\'').append(w).append("' ");
        }
        String out = run(dir, "bash", "-c", "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD="
                + (words.length - 1) + "; _complete_clickstream 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"");
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static String run(Path cwd, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        // failsafe preloads the JDK's libjsig for chDB; in a child it only adds a warning to the output
        pb.environment().remove("LD_PRELOAD");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
