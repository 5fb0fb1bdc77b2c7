package dev.clickstream.common.cli;

import dev.clickstream.common.error.UserFacingException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliTest {
    @Command(name = "t")
    static class Failing implements Callable<Integer> {
        @Option(names = "--mode")
        String mode = "user";

        @Override
        public Integer call() {
            if (mode.equals("user")) {
                throw new UserFacingException("cannot reach X: refused");
            }
            throw new IllegalStateException("outer", new java.io.IOException("disk full"));
        }
    }

    private static String[] run(Object command, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Cli.commandLine(command);
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute(args);
        return new String[] {String.valueOf(code), err.toString()};
    }

    @Command(name = "root", mixinStandardHelpOptions = true, subcommands = Leaf.class)
    static class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "leaf", mixinStandardHelpOptions = true)
    static class Leaf implements Runnable {
        @Override
        public void run() {
        }
    }

    @Test
    void every_command_prints_the_version_and_the_commit_it_was_built_from() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes()).trim();
        assertEquals(0, git.waitFor(), head);
        for (String[] args : new String[][] {{"--version"}, {"leaf", "--version"}}) {
            StringWriter out = new StringWriter();
            CommandLine cli = Cli.commandLine(new Root());
            cli.setOut(new PrintWriter(out, true));
            assertEquals(0, cli.execute(args));
            String first = out.toString().lines().findFirst().orElse("");
            assertTrue(first.startsWith("root " + BuildInfo.version() + ", commit "), first);
            String commit = first.replaceAll(".*, commit (\\w+).*", "$1");
            assertTrue(commit.length() >= 7 && head.startsWith(commit), first + " is not HEAD " + head);
            assertTrue(out.toString().contains("Java " + System.getProperty("java.version")), out.toString());
        }
    }

    @Test
    void should_exit_1_with_one_error_line_on_a_runtime_failure() {
        String[] r = run(new Failing());
        assertEquals("1", r[0]);
        assertEquals("error: cannot reach X: refused", r[1].trim());
    }

    @Test
    void should_name_the_root_cause_of_an_unexpected_failure() {
        String[] r = run(new Failing(), "--mode", "other");
        assertEquals("1", r[0]);
        assertEquals("error: IOException: disk full", r[1].trim());
    }

    @Test
    void should_exit_2_with_usage_on_a_bad_flag() {
        String[] r = run(new Failing(), "--nope");
        assertEquals("2", r[0]);
        assertTrue(r[1].startsWith("error: Unknown option: '--nope'"), r[1]);
        assertTrue(r[1].contains("Usage:"), r[1]);
    }

    @Test
    void should_parse_durations_people_type() {
        assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30"));
        assertEquals(Duration.ofMinutes(5), DurationConverter.parse("5m"));
        assertEquals(Duration.ofHours(1), DurationConverter.parse("1h"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("PT2M"));
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> DurationConverter.parse("soon"));
        assertFalse(e.getMessage().isBlank());
    }
}
