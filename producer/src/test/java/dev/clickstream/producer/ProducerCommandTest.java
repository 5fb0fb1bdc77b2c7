package dev.clickstream.producer;

import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.testsupport.CommandRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProducerCommandTest {

    private static CommandRun produce(String... args) {
        return CommandRun.of(new ProducerCommand(), args);
    }

    @Test
    void stdout_should_print_the_events_a_seed_makes_the_same_every_time() {
        CommandRun first = produce("--stdout", "--message-count", "50", "--seed", "1");
        CommandRun second = produce("--stdout", "--message-count", "50", "--seed", "1");
        assertEquals(0, first.exitCode(), first::toString);
        assertEquals(first.out(), second.out());
        assertEquals(50, first.outLines().size());
        first.outLines().forEach(ClickEventJson::parse);
        assertTrue(first.outLines().get(0).startsWith("{\"user_ts\":\"2025-01-01T00:00:"), first::toString);
        assertTrue(first.err().startsWith("summary: 50 messages, 50 events, 0 malformed lines"), first::toString);
        assertTrue(first.err().contains("(seed 1)"), first::toString);
        assertNotEquals(first.out(), produce("--stdout", "--message-count", "50", "--seed", "2").out());
    }

    @Test
    void start_time_should_set_the_first_events_time() {
        CommandRun run = produce("--stdout", "--message-count", "1", "--seed", "1", "--start-time",
                "2030-06-01T12:00:00+02:00");
        assertTrue(run.out().startsWith("{\"user_ts\":\"2030-06-01T10:00:"), run::toString);
    }

    @Test
    void bad_flags_and_values_should_exit_2_with_usage() {
        for (String[] args : List.of(new String[] {"--no-such-flag"}, new String[] {"--pack", "lots"},
                new String[] {"--pack", "0"}, new String[] {"--malformed-ratio", "1.5"}, new String[] {"--rate", "-1"},
                new String[] {"--message-count", "ten"}, new String[] {"--progress", "loud"},
                new String[] {"--start-time", "yesterday", "--stdout"}, new String[] {"--partitions", "0"})) {
            CommandRun run = produce(args);
            assertEquals(2, run.exitCode(), () -> String.join(" ", args) + "\n" + run);
            assertTrue(run.err().startsWith("error: ") && run.err().contains("Usage: producer"), run::toString);
        }
    }

    @Test
    void a_profile_that_does_not_exist_should_say_what_to_run(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        CommandRun run = produce("--state-dir", dir.toString(), "--message-count", "1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: "), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }
}
