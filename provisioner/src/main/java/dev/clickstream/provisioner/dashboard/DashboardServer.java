package dev.clickstream.provisioner.dashboard;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.http.HttpListener;
import dev.clickstream.common.http.HttpResponses;
import dev.clickstream.common.kafka.KafkaEndpoint;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.clickstream.provisioner.analytics.EventsTable;
import dev.clickstream.provisioner.delivery.EngineDelivery;
import dev.clickstream.stack.kafka.KafkaBroker;
import dev.clickstream.stack.process.Ports;
import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The dashboard on 127.0.0.1: one page (HTML, CSS and JS from the launcher's resources, nothing fetched from
 * elsewhere) and the JSON it polls: {@code /api/analytics} (the last hour from ClickHouse) and
 * {@code /api/delivery} (the transfer's /status and /metrics, sampled every {@link #DELIVERY_EVERY} whether a page
 * is open or not, so rows per second and their recent history are there as soon as one opens).
 */
public final class DashboardServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration DELIVERY_EVERY = Duration.ofSeconds(2);
    private static final Map<String, String> STATIC = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/dashboard.css", "dashboard.css",
            "/dashboard.js", "dashboard.js");

    private final HttpListener server;
    private final ClickHouse clickhouse;
    private final LiveAnalytics analytics;
    private final TransferProbe transfer;
    /** Where the Kafka engine's consumer group is read when it is the path in use; null: not looked at. */
    private final KafkaEndpoint kafka;
    /** Opened at the first sample that needs the engine's offsets, and kept: a new client every 2 s would reconnect each time. */
    private Admin engineAdmin;
    private final PrintWriter log;
    private final AtomicReference<String> lastProblem = new AtomicReference<>();
    private final AtomicReference<ObjectNode> delivery = new AtomicReference<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dashboard-transfer-probe");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closed = new CountDownLatch(1);

    private DashboardServer(HttpListener server, ClickHouse clickhouse, LiveAnalytics analytics,
                            TransferProbe transfer, KafkaEndpoint kafka, PrintWriter log) {
        this.server = server;
        this.kafka = kafka;
        this.clickhouse = clickhouse;
        this.analytics = analytics;
        this.transfer = transfer;
        this.log = log;
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0: a free one).
     *
     * @param table    the events table, or null for the transfer's when it has rows, else the Kafka engine's
     * @param defaults where the two delivery paths write (EventsTable.defaults of the profile)
     * @param log      where failures to reach ClickHouse go, once per change
     */
    public static DashboardServer start(int port, ClickHouseEndpoint endpoint, EventsTable table,
                                        List<EventsTable> defaults, URI transferUrl, PrintWriter log) {
        return start(port, endpoint, table, defaults, transferUrl, null, log);
    }

    /** @param kafka where to read the Kafka engine's offsets when its table is the one the analytics read */
    public static DashboardServer start(int port, ClickHouseEndpoint endpoint, EventsTable table,
                                        List<EventsTable> defaults, URI transferUrl, KafkaEndpoint kafka,
                                        PrintWriter log) {
        ClickHouse ch = ClickHouse.connect(endpoint);
        HttpListener http;
        try {
            http = HttpListener.bind(Ports.LOOPBACK, port, 4, "dashboard-http");
        } catch (IOException e) {
            ch.close();
            throw new UserFacingException(e instanceof BindException ? "dashboard: port " + port + " on "
                    + Ports.LOOPBACK + " is in use: pick another with --port" : "dashboard: cannot listen on "
                    + Ports.LOOPBACK + ":" + port + ": " + e.getMessage(), e);
        }
        DashboardServer s = new DashboardServer(http, ch, new LiveAnalytics(ch, table, defaults),
                new TransferProbe(transferUrl), kafka, log);
        http.handle("/", s::serveStatic);
        http.handle("/api/analytics", ex -> s.serveAnalytics(ex));
        http.handle("/api/delivery", ex -> HttpResponses.send(ex, 200, "application/json",
                JSON.writeValueAsBytes(s.latestDelivery())));
        http.handle("/healthz", ex -> HttpResponses.send(ex, 200, "text/plain; charset=utf-8",
                "ok\n".getBytes(StandardCharsets.UTF_8)));
        s.sampler.scheduleWithFixedDelay(s::sampleDelivery, 0, DELIVERY_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        http.start();
        return s;
    }

    public int port() {
        return server.port();
    }

    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + port() + "/";
    }

    /** Where the analytics and the delivery numbers come from, for the start-up message. */
    public String describe() {
        return "analytics from " + analytics.describe() + "; delivery from the transfer at " + transfer.url();
    }

    /** Blocks until {@link #close()}. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** One sample of the transfer; a failure is logged and the next run tries again (a throw would end them). */
    private void sampleDelivery() {
        try {
            ObjectNode sample = transfer.sample();
            if (kafka != null && !sample.path("reachable").asBoolean()) {
                engineInUse().ifPresent(e -> sample.set("engine", JSON.valueToTree(e)));
            }
            delivery.set(sample);
        } catch (RuntimeException e) {
            log.println("delivery: " + Cli.oneLine(e));
            log.flush();
        }
    }

    /** The engine's delivery when the table the analytics read is fed by a Kafka engine table beside it. */
    private java.util.Optional<EngineDelivery.Queue> engineInUse() {
        if (engineAdmin == null) {
            engineAdmin = Admin.create(KafkaBroker.adminProps(kafka));
        }
        return EngineDelivery.probe(engineAdmin, clickhouse).feeding(analytics.table().qualified());
    }

    private ObjectNode latestDelivery() {
        ObjectNode latest = delivery.get();
        return latest != null ? latest : transfer.sample();
    }

    private void serveAnalytics(HttpExchange ex) throws IOException {
        ObjectNode body;
        int code = 200;
        try {
            body = analytics.snapshot();
            lastProblem.set(null);
        } catch (RuntimeException e) {
            code = 503;
            body = JSON.createObjectNode().put("error", Cli.oneLine(e));
            String problem = body.get("error").asText();
            if (!problem.equals(lastProblem.getAndSet(problem))) {
                log.println("analytics: " + problem);
                log.flush();
            }
        }
        HttpResponses.send(ex, code, "application/json", JSON.writeValueAsBytes(body));
    }

    private void serveStatic(HttpExchange ex) throws IOException {
        String name = STATIC.get(ex.getRequestURI().getPath());
        if (name == null) {
            HttpResponses.send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + " is not in the launcher jar");
            }
            String type = name.endsWith(".css") ? "text/css" : name.endsWith(".js") ? "text/javascript" : "text/html";
            HttpResponses.send(ex, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        sampler.shutdownNow();
        try {
            sampler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (engineAdmin != null) {
            engineAdmin.close(Duration.ofSeconds(2));
        }
        server.close();
        clickhouse.close();
        closed.countDown();
    }
}
