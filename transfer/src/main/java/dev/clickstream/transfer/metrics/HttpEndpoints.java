package dev.clickstream.transfer.metrics;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.http.HttpListener;
import dev.clickstream.common.http.HttpResponses;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/** /metrics (Prometheus text), /healthz (200 or 503 with the reason) and /status (JSON) on one port. */
public final class HttpEndpoints implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final HttpListener server;

    public HttpEndpoints(String host, int port, TransferMetrics metrics, TransferStatus status,
                         Supplier<Map<String, Object>> totals) {
        try {
            server = HttpListener.bind(host, port, 1, "transfer-http");
        } catch (BindException e) {
            throw new UserFacingException("http: cannot listen on " + host + ":" + port + " (in use?): set http.port "
                    + "in the config or --http-port");
        } catch (IOException e) {
            throw new UserFacingException("http: cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        server.handle("/metrics", ex -> {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            metrics.write(body);
            HttpResponses.send(ex, 200, TransferMetrics.contentType(), body.toByteArray());
        });
        server.handle("/healthz", ex -> {
            boolean ok = status.healthy();
            HttpResponses.send(ex, ok ? 200 : 503, "text/plain; charset=utf-8",
                    (ok ? "ok\n" : "unhealthy: " + status.unhealthyReason() + "\n").getBytes(StandardCharsets.UTF_8));
        });
        server.handle("/status", ex -> HttpResponses.send(ex, 200, "application/json",
                JSON.writeValueAsBytes(status.snapshot(totals.get()))));
        server.start();
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
