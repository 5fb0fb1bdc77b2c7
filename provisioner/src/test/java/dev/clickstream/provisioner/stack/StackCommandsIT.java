package dev.clickstream.provisioner.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@WithLocalStack
class StackCommandsIT {

    @Test
    void status_should_show_both_services_healthy_with_pids_ports_and_topics(TestStack stack) {
        CliRun run = CliRun.of("status", "--state-dir", stack.stateDir().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().matches("(?s).*\\nkafka\\s+\\d+\\s+healthy\\s+PLAINTEXT 127\\.0\\.0\\.1:\\d+.*"), run::toString);
        assertTrue(run.out().matches("(?s).*\\nclickhouse\\s+\\d+\\s+healthy\\s+HTTP http://127\\.0\\.0\\.1:\\d+.*"),
                run::toString);
        assertTrue(run.out().matches("(?s).*\\nclickhouse-events\\s+\\d+\\n.*"), run::toString);
    }

    @Test
    void status_json_should_be_machine_readable(TestStack stack) throws Exception {
        CliRun run = CliRun.of("status", "--json", "--state-dir", stack.stateDir().toString());
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertEquals(2, json.get("services").size());
        assertTrue(json.get("services").get(0).get("healthy").asBoolean());
        assertTrue(json.get("topics").has("clickhouse-events"));
    }

    @Test
    void up_on_a_running_stack_should_say_so_and_exit_0(TestStack stack) {
        CliRun run = CliRun.of("up", "--random-ports", "--state-dir", stack.stateDir().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("is already running"), run::toString);
    }

    @Test
    void logs_should_print_the_end_of_a_service_log(TestStack stack) {
        CliRun run = CliRun.of("logs", "kafka", "-n", "5", "--state-dir", stack.stateDir().toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("==> kafka: "), run::toString);
        assertTrue(run.out().lines().count() <= 6, run::toString);
    }

    @Test
    void commands_on_a_folder_without_a_stack_should_say_what_to_run(@TempDir Path empty) {
        CliRun status = CliRun.of("status", "--state-dir", empty.toString());
        assertEquals(1, status.exitCode(), status::toString);
        assertTrue(status.out().contains("./clickstream up"), status::toString);
        CliRun down = CliRun.of("down", "--state-dir", empty.toString());
        assertEquals(0, down.exitCode(), down::toString);
        assertTrue(down.out().contains("No local stack"), down::toString);
        Path gone = empty.resolve("never-made");
        CliRun downGone = CliRun.of("down", "--purge", "--state-dir", gone.toString());
        assertEquals(0, downGone.exitCode(), downGone::toString);
        assertFalse(Files.exists(gone), "down made the folder it was asked to clean: " + gone);
        CliRun logs = CliRun.of("logs", "--state-dir", empty.toString());
        assertEquals(1, logs.exitCode(), logs::toString);
        assertTrue(logs.err().startsWith("error: no logs in"), logs::toString);
    }

    @Test
    void a_bad_flag_or_value_should_exit_2_with_usage() {
        CliRun run = CliRun.of("up", "--partitions", "many");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Usage: clickstream up"), run::toString);
        CliRun unknown = CliRun.of("logs", "zookeeper");
        assertEquals(2, unknown.exitCode(), unknown::toString);
    }

    @Test
    void help_should_list_every_command_with_one_line() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        for (String command : new String[] {"up", "down", "status", "logs"}) {
            assertTrue(run.out().matches("(?s).*\\n  " + command + " +\\S.*"), command + " missing:\n" + run.out());
        }
    }
}
