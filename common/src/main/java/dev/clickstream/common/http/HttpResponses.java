package dev.clickstream.common.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;

/** The one way our small HTTP servers (the transfer's endpoints, the dashboard) answer a request. */
public final class HttpResponses {
    private HttpResponses() {
    }

    /** Sends a whole body; never cached, since every answer is a live reading. */
    public static void send(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
