package dev.clickstream.provisioner.dashboard;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.transfer.config.TransferConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.provisioner.analytics.EventsTable;
import dev.clickstream.provisioner.analytics.ReferenceAnalytics;
import dev.clickstream.provisioner.analytics.SeededTables;
import dev.clickstream.provisioner.analytics.ShopTraffic;
import dev.clickstream.stack.Companions;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.testsupport.TestKafka;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard page in headless Chromium, fed by the running stack: events delivered by a real transfer, the
 * charts drawn from ClickHouse, the delivery panel from that transfer's /status and /metrics.
 */
@WithLocalStack
class DashboardIT {
    private static final PrintWriter LOG = new PrintWriter(System.err, true);

    @TempDir
    Path dir;

    /** Traffic that ended a few minutes ago and began 40 minutes ago: inside the dashboard's last hour. */
    private static ShopTraffic recentTraffic() {
        return ShopTraffic.startingAt(Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(40)));
    }

    @Test
    void the_page_draws_the_last_hour_and_the_health_of_the_transfer_delivering_it(TestStack stack) throws Exception {
        String topic = stack.newTopic("dashboard", 3);
        String db = stack.newDatabase("dashboard");
        List<ClickEvent> events = recentTraffic().events();
        TestKafka.produce(stack.kafka(), topic, events.stream().map(ClickEventJson::toJson).toList());
        String table = db + "." + TransferConfig.identifierFromTopic(topic);
        try (TransferInThread transfer = TransferInThread.start(stack, dir, topic, db);
             ClickHouse ch = stack.connectClickHouse()) {
            assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250),
                    () -> ch.tableExists(db, table.substring(db.length() + 1))
                            && ch.queryLong("SELECT count() FROM " + table) == events.size()), "the transfer delivered");
            assertTrue(Deadline.in(Duration.ofSeconds(30)).until(Duration.ofMillis(250), () -> caughtUp(transfer)),
                    "the transfer's /status shows its three partitions without lag");
            try (DashboardServer dashboard = DashboardServer.start(0, stack.clickhouse(), EventsTable.parse("t", table),
                    EventsTable.defaults(stack.profile()), URI.create(transfer.url()), LOG)) {
                HeadlessChromium chromium = new HeadlessChromium(dir);
                Instant loading = Instant.now();
                Dom page = new Dom(chromium.dumpDom(dashboard.url()));
                Instant loaded = Instant.now();
                chromium.screenshot(dashboard.url(), Path.of("target/screenshots/dashboard.png"), 1280, 900);

                List<ClickEvent> lastHour = ReferenceAnalytics.between(events, loaded.minus(Duration.ofHours(1)), loading);
                assertEquals(events.size() - 1, lastHour.size(), "all but the event two hours back are in the last hour");
                assertCharts(page, lastHour);
                assertFreshness(page, lastHour, loading, loaded);

                assertEquals("delivering · healthy", page.byId("delivery-state").text().replace("idle", "delivering"),
                        page.byId("delivery").text());
                assertEquals(Long.toString(events.size()), value(page, "delivery-rows"));
                assertEquals("0", value(page, "delivery-unparsed"));
                assertEquals("0", value(page, "delivery-skipped"));
                assertEquals("0", value(page, "delivery-lag"));
                List<Map<String, String>> partitions = page.byId("partitions").all("tr", null).stream()
                        .filter(tr -> tr.containsKey("data-partition")).toList();
                assertEquals(List.of("0", "1", "2"), partitions.stream().map(tr -> tr.get("data-partition")).toList());
                assertTrue(partitions.stream().allMatch(tr -> tr.get("data-lag").equals("0")), partitions::toString);
                assertEquals("none", page.byId("last-error").text());
            }
        }
    }

    @Test
    void when_the_kafka_engine_delivers_the_panel_shows_its_group_and_lag_instead_of_a_missing_transfer(TestStack stack)
            throws Exception {
        String topic = stack.newTopic("dashboard-engine", 3);
        String db = stack.newDatabase("dashboard_engine");
        CliRun apply = CliRun.of("sql", "apply", "--state-dir", stack.stateDir().toString(), "--database", db,
                "--topic", topic, "--group", "engine-" + db);
        assertEquals(0, apply.exitCode(), apply::toString);
        List<ClickEvent> events = recentTraffic().events();
        TestKafka.produce(stack.kafka(), topic, events.stream().map(ClickEventJson::toJson).toList());
        try (ClickHouse ch = stack.connectClickHouse()) {
            assertTrue(Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(500),
                    () -> ch.queryLong("SELECT count() FROM " + db + ".events") == events.size()), "the engine delivered");
        }
        int nothingListens = Ports.freePort();
        try (DashboardServer dashboard = DashboardServer.start(0, stack.clickhouse(), EventsTable.parse("t",
                db + ".events"), EventsTable.defaults(stack.profile()), URI.create("http://127.0.0.1:" + nothingListens),
                stack.kafka(), LOG)) {
            HeadlessChromium chromium = new HeadlessChromium(dir);
            // the engine commits its offsets after the block is written: the lag reaches 0 shortly after the rows
            Dom page = Deadline.in(Duration.ofSeconds(30)).poll(Duration.ofMillis(500), () -> {
                Dom p = new Dom(chromium.dumpDom(dashboard.url()));
                return "0".equals(value(p, "delivery-lag")) ? Optional.of(p) : Optional.empty();
            }).orElseThrow(() -> new AssertionError("the engine's lag never showed 0"));
            assertEquals("Kafka engine · group engine-" + db, page.byId("delivery-state").text());
            assertTrue(page.byId("delivery-detail").text().startsWith("the ClickHouse Kafka engine delivers (" + db
                    + ".events_queue, topic " + topic + ")"), page.byId("delivery-detail").text());
            List<Map<String, String>> partitions = page.byId("partitions").all("tr", null).stream()
                    .filter(tr -> tr.containsKey("data-partition")).toList();
            assertEquals(List.of("0", "1", "2"), partitions.stream().map(tr -> tr.get("data-partition")).toList());
            assertEquals(Long.toString(events.size() - 1), value(page, "kpi-events"));
        }
    }

    @Test
    void without_a_transfer_the_delivery_panel_says_so_and_the_analytics_still_show(TestStack stack) throws Exception {
        List<ClickEvent> events = recentTraffic().events();
        String table;
        try (ClickHouse ch = stack.connectClickHouse()) {
            table = SeededTables.transferTable(ch, stack.newDatabase("dashboard_alone"));
            SeededTables.insert(ch, table, events);
        }
        int nothingListens = Ports.freePort();
        try (DashboardServer dashboard = DashboardServer.start(0, stack.clickhouse(), EventsTable.parse("t", table),
                EventsTable.defaults(stack.profile()), URI.create("http://127.0.0.1:" + nothingListens), stack.kafka(),
                LOG)) {
            Dom page = new Dom(new HeadlessChromium(dir).dumpDom(dashboard.url()));
            assertEquals("transfer not running", page.byId("delivery-state").text());
            assertEquals("nothing answers at http://127.0.0.1:" + nothingListens + "/ (connection refused)",
                    page.byId("delivery-detail").text());
            assertFalse(page.byId("kpi-rate").attributes().containsKey("data-value"));
            assertEquals(Long.toString(events.size() - 1), value(page, "kpi-events"));
            assertEquals(barsInTheHour(page), page.byId("events-chart").all("rect", "bar").size());
        }
    }

    @Test
    void in_the_background_it_is_a_companion_of_the_stack_that_answers_at_the_printed_url(TestStack stack)
            throws Exception {
        String transferUrl = "http://127.0.0.1:" + Ports.freePort();
        CliRun run = CliRun.of("dashboard", "--background", "--port", "0", "--state-dir", stack.stateDir().toString(),
                "--transfer-url", transferUrl);
        assertEquals(0, run.exitCode(), run::toString);
        String url = run.out().lines().filter(l -> l.startsWith("Dashboard: ")).findFirst()
                .map(l -> l.substring("Dashboard: ".length()).split(" ")[0]).orElseThrow(() -> new AssertionError(run));
        Companions companions = new Companions(stack.stateDir());
        try {
            assertTrue(companions.running(DashboardCommand.COMPANION).isPresent(), run::toString);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<script src=\"dashboard.js\"></script>"), page.body());
            HttpResponse<String> delivery = http.send(HttpRequest.newBuilder(URI.create(url + "api/delivery")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(delivery.body().contains("\"reachable\":false"), delivery.body());
            assertTrue(delivery.body().contains(transferUrl), delivery.body());

            CliRun again = CliRun.of("dashboard", "--background", "--port", "0", "--state-dir",
                    stack.stateDir().toString(), "--transfer-url", transferUrl);
            assertEquals(0, again.exitCode(), again::toString);
            assertTrue(again.out().startsWith("Replacing the running dashboard (pid "), again::toString);
        } finally {
            assertTrue(companions.stop(DashboardCommand.COMPANION, Duration.ofSeconds(10)), "the dashboard was running");
        }
    }

    @Test
    void a_port_in_use_is_one_error_line(TestStack stack) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName(Ports.LOOPBACK))) {
            CliRun run = CliRun.of("dashboard", "--port", Integer.toString(taken.getLocalPort()), "--state-dir",
                    stack.stateDir().toString());
            assertEquals(1, run.exitCode(), run::toString);
            assertEquals("error: dashboard: port " + taken.getLocalPort() + " on 127.0.0.1 is in use: pick another with"
                    + " --port\n", run.err());
        }
    }

    /** The transfer reports every partition it owns, none lagging: what the page should then show. */
    private static boolean caughtUp(TransferInThread transfer) {
        try {
            HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(transfer.url() + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = new ObjectMapper().readTree(status.body());
            return json.get("assignment").size() == 3 && json.get("lag").asLong() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A bar per minute the hour's window touches: 61 when the window ends inside a minute (both ends partial), 60
     * when the page was drawn at second :00 and the window lines up with the minutes.
     */
    private static int barsInTheHour(Dom page) {
        String updated = page.byId("updated").text();
        assertTrue(updated.matches("updated \\d\\d:\\d\\d:\\d\\d UTC"), updated);
        return updated.endsWith(":00 UTC") ? 60 : 61;
    }

    private static void assertCharts(Dom page, List<ClickEvent> lastHour) {
        List<Map<String, String>> bars = page.byId("events-chart").all("rect", "bar");
        assertEquals(barsInTheHour(page), bars.size(), "a bar per minute of the last hour, both ends partial");
        Map<String, String> shown = new LinkedHashMap<>();
        bars.stream().filter(b -> !b.get("data-value").equals("0")).forEach(b -> shown.put(b.get("data-label"),
                b.get("data-value")));
        Map<String, String> expected = new LinkedHashMap<>();
        Instant first = lastHour.stream().map(ReferenceAnalytics::time).min(Comparator.naturalOrder()).orElseThrow();
        Instant last = lastHour.stream().map(ReferenceAnalytics::time).max(Comparator.naturalOrder()).orElseThrow();
        ReferenceAnalytics.eventsPerMinute(lastHour, first, last.plusSeconds(1)).stream()
                .filter(row -> (long) row.get(1) > 0)
                .forEach(row -> expected.put(((String) row.get(0)).substring(11, 16), row.get(1).toString()));
        assertEquals(expected, shown, "events per minute");
        assertEquals(Long.toString(lastHour.size()), value(page, "kpi-events"));

        assertEquals(List.of(List.of("page_view", "32"), List.of("add_to_cart", "11"), List.of("purchase", "5")),
                bars(page, "funnel-chart"), "the 31 sessions and the late one view; 11 add; 5 buy in order");
        assertEquals(labelled(ReferenceAnalytics.funnel(lastHour)), bars(page, "funnel-chart"));
        assertEquals(labelled(ReferenceAnalytics.topPages(lastHour, 6)), bars(page, "pages-chart"));
        assertEquals(labelled(ReferenceAnalytics.topReferrers(lastHour, 6)), bars(page, "referrers-chart"));
        assertEquals(labelled(ReferenceAnalytics.split(lastHour, ClickEvent::device, 6)), bars(page, "devices-chart"));
        assertEquals(labelled(ReferenceAnalytics.split(lastHour, ClickEvent::country, 6)), bars(page, "countries-chart"));
        assertEquals("15.6%", page.byId("kpi-conversion").text(), "5 purchasing of 32 viewing sessions");
        assertTrue(value(page, "kpi-users").matches("\\d+"), page.byId("kpi-users").toString());
    }

    /** Freshness is the server's now() at the poll minus the newest event: between the two clock readings. */
    private static void assertFreshness(Dom page, List<ClickEvent> lastHour, Instant loading, Instant loaded) {
        long newest = lastHour.stream().map(ReferenceAnalytics::time).max(Comparator.naturalOrder()).orElseThrow()
                .getEpochSecond();
        long freshness = Long.parseLong(value(page, "kpi-freshness"));
        assertTrue(freshness >= loading.getEpochSecond() - newest && freshness <= loaded.getEpochSecond() - newest,
                "freshness " + freshness + " s for the newest event " + newest);
    }

    private static String value(Dom page, String id) {
        return Optional.ofNullable(page.byId(id).attributes().get("data-value"))
                .orElseThrow(() -> new AssertionError(id + " shows no value: " + page.byId(id)));
    }

    /** [label, value] of each bar of a bar list. */
    private static List<List<String>> bars(Dom page, String chart) {
        return page.byId(chart).all("g", "hbar").stream().map(g -> List.of(g.get("data-label"), g.get("data-value")))
                .toList();
    }

    /** [first column, second column] of reference rows, as text. */
    private static List<List<String>> labelled(List<List<Object>> rows) {
        return rows.stream().map(r -> List.of(r.get(0).toString(), r.get(1).toString())).toList();
    }
}
