package dev.clickstream.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompanionsTest {
    @TempDir
    Path state;

    @Test
    void a_companion_runs_until_stopped_by_its_pid() throws Exception {
        Companions companions = new Companions(state);
        Path followed = state.resolve("followed.txt");
        Files.writeString(followed, "");
        var process = companions.start("tail", List.of("tail", "-f", followed.toString()));
        assertTrue(companions.running("tail").isPresent());
        assertEquals(List.of("tail"), companions.names());

        StringWriter out = new StringWriter();
        companions.stopAll(new PrintWriter(out, true));
        assertTrue(out.toString().contains("tail        stopped (pid " + process.pid() + ")"), out::toString);
        assertFalse(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(companions.running("tail").isEmpty());
        assertFalse(companions.stop("tail", Duration.ofSeconds(1)), "nothing left to stop");
    }

    @Test
    void a_command_that_does_not_name_the_state_folder_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Companions(state).start("x", List.of("sleep", "1")));
    }
}
