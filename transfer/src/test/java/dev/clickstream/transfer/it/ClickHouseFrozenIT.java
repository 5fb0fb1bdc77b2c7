package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.ServiceProcess;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static dev.clickstream.transfer.it.TransferFixtures.count;
import static dev.clickstream.transfer.it.TransferFixtures.distinctKeys;
import static dev.clickstream.transfer.it.TransferFixtures.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ClickHouse server stands still (SIGSTOP) longer than the transfer's socket timeout, three times during a
 * steady stream, and goes on (SIGCONT) with the requests it held: INSERTs time out on the client while the server
 * still has them, and run when it wakes. Every line lands once.
 */
@WithLocalStack
class ClickHouseFrozenIT {
    private static final int EVENTS = 60_000;
    private static final int PER_SECOND = 2_000;
    private static final int MAX_ROWS = 2_000;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    /** Each freeze outlasts the socket timeout by another amount, so the retries stand elsewhere when it ends. */
    private static final List<Duration> FREEZES = List.of(Duration.ofSeconds(8), Duration.ofSeconds(5),
            Duration.ofSeconds(6));
    private static final String RETRIES = "clickstream_transfer_retries_total";

    @TempDir
    Path dir;

    @Test
    void a_clickhouse_server_frozen_past_the_socket_timeout_gets_every_line_once(TestStack stack) throws Exception {
        String topic = stack.newTopic("chfrozen", 3);
        String db = stack.newDatabase("chfrozen");
        String table = topic.replace('-', '_');
        String target = db + "." + table;
        Path config = TransferFixtures.config(dir, stack, topic, db,
                "  socket_timeout: " + SOCKET_TIMEOUT.toSeconds() + "s\n",
                "  max_rows: " + MAX_ROWS + "\n  max_delay: 200ms\n");
        ServiceProcess server = stack.stack().clickhouseProcess()
                .orElseThrow(() -> new AssertionError("the stack's ClickHouse server is not running"));
        long started = System.nanoTime();
        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, TestEvents.jsonLines(0, EVENTS),
                PER_SECOND);
             TransferProcess transfer = TransferProcess.start(config, "chfrozen", dir);
             ClickHouse ch = stack.connectClickHouse()) {
            transfer.awaitDelivering(Duration.ofSeconds(60));
            for (int round = 0; round < FREEZES.size(); round++) {
                String name = "round " + (round + 1);
                double retriesBefore = transfer.metric(RETRIES);
                long rowsBefore = count(ch, target);
                long sentBefore = producer.acknowledged();
                freeze(server, FREEZES.get(round));
                assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(100),
                        () -> transfer.metric(RETRIES) > retriesBefore), name + ": no write failed during the freeze\n"
                        + transfer.log());
                // rows move again before the next freeze: a few batches past what was there before this one
                long moved = Math.min(EVENTS, rowsBefore + 2L * MAX_ROWS);
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                        () -> count(ch, target) >= moved), name + ": rows stopped at " + count(ch, target) + "\n"
                        + transfer.log());
                System.out.printf("ClickHouseFrozenIT %s: froze %d s at %d rows (%d sent), retries %.0f -> %.0f%n",
                        name, FREEZES.get(round).toSeconds(), rowsBefore, sentBefore, retriesBefore,
                        transfer.metric(RETRIES));
            }
            producer.await(120_000);
            long delivered = awaitDelivered(ch, db, table, EVENTS, Duration.ofSeconds(120));
            long rows = count(ch, target);
            long keys = distinctKeys(ch, db, table);
            long ids = ch.queryLong("SELECT uniqExact(id) FROM " + target);
            double retries = transfer.metric(RETRIES);
            System.out.printf("ClickHouseFrozenIT: rows %d, distinct keys %d, distinct ids %d, retries %.0f, %.1f s%n",
                    rows, keys, ids, retries, (System.nanoTime() - started) / 1e9);
            assertEquals(EVENTS, delivered, transfer.log());
            assertEquals(EVENTS, rows, "a line landed twice\n" + transfer.log());
            assertEquals(EVENTS, keys, "a line is missing or twice\n" + transfer.log());
            assertEquals(EVENTS, ids);
            assertTrue(retries >= FREEZES.size(), "retries: " + retries);
            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(200),
                    () -> get(transfer.httpPort(), "/healthz").statusCode() == 200),
                    "/healthz did not recover: " + get(transfer.httpPort(), "/healthz").body());
            assertEquals(0, transfer.metric("clickstream_transfer_failing"));
            assertTrue(transfer.isAlive(), transfer.log());
        }
        // the server is shared by every test of this JVM: it must be running and answering
        assertTrue(stack.stack().clickhouseProcess().isPresent(), "the ClickHouse server is gone");
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(1, ch.queryLong("SELECT 1"));
        }
    }

    /**
     * SIGSTOP to the server for {@code length}, then SIGCONT, whatever happens in between: the shared stack is
     * never left frozen.
     */
    private static void freeze(ServiceProcess server, Duration length) throws InterruptedException {
        try {
            signal(server, "STOP");
            assertTrue(Deadline.in(Duration.ofSeconds(5)).until(Duration.ofMillis(10), () -> state(server) == 'T'),
                    "the server (pid " + server.pid() + ") did not stop: state " + state(server));
            Thread.sleep(length.toMillis()); // the freeze lasts its full length: the scenario, not a wait for a result
        } finally {
            signal(server, "CONT");
        }
    }

    /** kill -NAME to the server's own pid (never by name: other ClickHouse servers may run on this machine). */
    private static void signal(ServiceProcess server, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid())).redirectErrorStream(true)
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + server.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The process state letter from /proc (T: stopped by a signal). */
    private static char state(ServiceProcess server) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(server.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '?';
        }
    }
}
