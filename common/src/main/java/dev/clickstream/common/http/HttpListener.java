package dev.clickstream.common.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP server (the transfer's endpoints, the dashboard) and the daemon threads that answer it:
 * one owner, so closing it stops both. {@code HttpServer.stop} leaves a caller's executor running.
 */
public final class HttpListener implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private HttpListener(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds host:port (0: a free one) without starting; a port in use throws {@link java.net.BindException},
     * which each caller turns into its own one-line hint.
     */
    public static HttpListener bind(String host, int port, int threads, String threadName) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
        ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        return new HttpListener(server, executor);
    }

    public void handle(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
