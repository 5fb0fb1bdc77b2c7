package dev.clickstream.testsupport;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.clickhouse.ClickHouseBinary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A service that cannot start leaves nothing behind: `up` stops what it started and says why, with the
 * log's last lines. The ClickHouse "server" here is a script that fails at once; the broker is real.
 */
class StartFailureIT {
    @TempDir
    Path dir;

    @AfterEach
    void clearOverride() {
        System.clearProperty(ClickHouseBinary.PROPERTY);
    }

    @Test
    void should_stop_the_broker_and_explain_when_clickhouse_does_not_start() throws Exception {
        Path fake = dir.resolve("clickhouse-server");
        Files.writeString(fake, "#!/bin/sh\necho 'DB::Exception: Listen [127.0.0.1]: Address in use (boom)'\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        System.setProperty(ClickHouseBinary.PROPERTY, fake.toString());

        Path state = dir.resolve("state");
        LocalStack stack = new LocalStack(state);
        StringWriter out = new StringWriter();
        UserFacingException e = assertThrows(UserFacingException.class, () -> stack.up(
                new LocalStack.UpOptions("t", 1, false, Duration.ofSeconds(60)), new PrintWriter(out, true)));

        assertTrue(e.getMessage().startsWith("the ClickHouse server exited during start-up"), e.getMessage());
        assertTrue(e.getMessage().contains("(boom)"), "no log tail in: " + e.getMessage());
        assertFalse(stack.status().anyRunning(), "a half-started stack is left running");
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
                .map(c -> c.contains(state.toString())).orElse(false)), "a process of the failed stack is alive");
    }
}
