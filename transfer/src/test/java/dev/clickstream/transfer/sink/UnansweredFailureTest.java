package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.store.FailureClass;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which failures say "the server was not reached" ({@link FailureClass#unanswered}), from the real client's real
 * failures on loopback: a refused connection is one; a connection the server resets, or a read timeout, are not.
 */
class UnansweredFailureTest {
    private static final Duration SHORT = Duration.ofSeconds(2);

    @Test
    void a_refused_connection_is_unanswered_and_transient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        RuntimeException e = failureAt(port);
        assertTrue(FailureClass.unanswered(e), () -> describe(e));
        assertEquals(FailureClass.TRANSIENT, FailureClass.of(e));
    }

    @Test
    void a_connection_reset_by_the_server_is_not_unanswered() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread resetter = new Thread(() -> {
                while (!s.isClosed()) {
                    try (Socket c = s.accept()) {
                        c.setSoLinger(true, 0); // close with RST, as a server that died mid-request
                        c.getInputStream().read();
                    } catch (Exception ignored) {
                        // the test closes the socket at its end
                    }
                }
            });
            resetter.setDaemon(true);
            resetter.start();
            RuntimeException e = failureAt(s.getLocalPort());
            assertFalse(FailureClass.unanswered(e), () -> describe(e));
            assertEquals(FailureClass.TRANSIENT, FailureClass.of(e));
        }
    }

    @Test
    void a_server_that_accepts_but_never_answers_is_not_unanswered() throws Exception {
        AtomicReference<Socket> held = new AtomicReference<>();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Thread acceptor = new Thread(() -> {
                try {
                    held.set(s.accept()); // reads nothing, answers nothing: a frozen server
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RuntimeException e = failureAt(s.getLocalPort());
            assertFalse(FailureClass.unanswered(e), () -> describe(e));
        } finally {
            if (held.get() != null) {
                held.get().close();
            }
        }
    }

    @Test
    void a_connect_timeout_is_unanswered_a_read_timeout_is_not() {
        assertTrue(FailureClass.unanswered(new UserFacingException("cannot reach ClickHouse",
                new org.apache.hc.client5.http.ConnectTimeoutException("Connect to http://10.0.0.9:8123 timed out"))));
        assertTrue(FailureClass.unanswered(new UserFacingException("x",
                new java.net.SocketTimeoutException("Connect timed out"))));
        assertFalse(FailureClass.unanswered(new UserFacingException("x",
                new java.net.SocketTimeoutException("Read timed out"))));
        assertFalse(FailureClass.unanswered(new UserFacingException("x", new java.net.SocketException("Connection reset"))));
    }

    private static RuntimeException failureAt(int port) {
        ClickHouseEndpoint endpoint = new ClickHouseEndpoint("http://127.0.0.1:" + port, "default", "", "default", null);
        try (ClickHouse ch = ClickHouse.connect(endpoint, SHORT, SHORT)) {
            return assertThrows(RuntimeException.class, () -> ch.queryText("SELECT 1"));
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return b.toString();
    }
}
