package dev.clickstream.transfer.metrics;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/prometheus's rules pass promtool's check and their unit tests (each alert's firing and quiet cases). */
class AlertRulesTest {
    private static final Path RULES = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void the_rules_are_valid() throws Exception {
        String out = promtool("check", "rules", "clickstream-transfer.rules.yml");
        assertTrue(out.contains("SUCCESS: 7 rules found"), out);
    }

    @Test
    void every_alert_fires_in_its_case_and_stays_quiet_otherwise() throws Exception {
        String out = promtool("test", "rules", "clickstream-transfer.rules.test.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(PROMTOOL), PROMTOOL + " is missing: ./run-tests installs Debian's prometheus");
        String[] command = new String[args.length + 1];
        command[0] = PROMTOOL.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
