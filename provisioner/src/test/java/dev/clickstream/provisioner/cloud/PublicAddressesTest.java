package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublicAddressesTest {
    private HttpServer echo;
    private final StringWriter printed = new StringWriter();
    private final PrintWriter out = new PrintWriter(printed, true);

    @BeforeEach
    void start() throws Exception {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer("/v4", "198.51.100.23\n");
        answer("/v6", "2001:db8:0:1::17");
        answer("/garbage", "<html>rate limited</html>");
        echo.start();
    }

    @AfterEach
    void stop() {
        echo.stop(0);
    }

    @Test
    void should_find_both_addresses_and_say_where_from() {
        PublicAddresses.Found found = PublicAddresses.resolve(null, null, url("/v4"), url("/v6"), out);
        assertEquals(new PublicAddresses.Found("198.51.100.23", "2001:db8:0:1::17"), found);
        assertTrue(printed.toString().contains("Public IPv4 of this machine: 198.51.100.23 (from " + url("/v4")),
                printed.toString());
        assertTrue(printed.toString().contains("Public IPv6 of this machine: 2001:db8:0:1::17"), printed.toString());
    }

    @Test
    void should_go_on_without_ipv6_but_not_without_ipv4() {
        PublicAddresses.Found found = PublicAddresses.resolve(null, null, url("/v4"), url("/none"), out);
        assertNull(found.ipv6());
        assertTrue(printed.toString().contains("No public IPv6 found"), printed.toString());

        UserFacingException e = assertThrows(UserFacingException.class,
                () -> PublicAddresses.resolve(null, null, url("/garbage"), url("/v6"), out));
        assertEquals("cannot find this machine's public IPv4 address (asked " + url("/garbage") + "): pass --my-ip A.B.C.D",
                e.getMessage());
    }

    @Test
    void should_take_given_addresses_without_asking() {
        PublicAddresses.Found found = PublicAddresses.resolve("192.0.2.1", "", "http://127.0.0.1:1/never",
                "http://127.0.0.1:1/never", out);
        assertEquals(new PublicAddresses.Found("192.0.2.1", null), found);
        assertEquals("", printed.toString());
    }

    @Test
    void should_reject_what_is_not_an_address_as_a_usage_error() {
        UserFacingException v4 = assertThrows(UserFacingException.class,
                () -> PublicAddresses.resolve("300.1.1.1", null, url("/v4"), url("/v6"), out));
        assertEquals(2, v4.exitCode());
        assertTrue(v4.getMessage().startsWith("--my-ip: '300.1.1.1'"), v4.getMessage());
        UserFacingException v6 = assertThrows(UserFacingException.class,
                () -> PublicAddresses.resolve("192.0.2.1", "example.com", url("/v4"), url("/v6"), out));
        assertEquals(2, v6.exitCode());
        assertFalse(PublicAddresses.isIpv6("192.0.2.1"));
        assertFalse(PublicAddresses.isIpv4("2001:db8::1"));
        assertTrue(PublicAddresses.isIpv6("::1"));
    }

    private void answer(String path, String body) {
        echo.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    private String url(String path) {
        return "http://127.0.0.1:" + echo.getAddress().getPort() + path;
    }
}
