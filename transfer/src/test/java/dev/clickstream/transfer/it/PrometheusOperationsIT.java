package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.testsupport.PacedProducer;
import dev.clickstream.testsupport.TestEvents;
import dev.clickstream.testsupport.TestPrometheus;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/'s alert rules and Grafana dashboard against a real Prometheus scraping a running transfer: every
 * panel's query and every metric a rule reads returns series, and a ClickHouse outage makes the failing alert
 * pending, which the end of the outage resolves.
 */
@WithLocalStack
class PrometheusOperationsIT {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final String JOB = "clickstream-transfer";
    private static final Pattern METRIC = Pattern.compile("\\b([a-z_]+)\\{");
    private static final int EVENTS = 30_000;

    @TempDir
    Path dir;

    @Test
    void the_dashboard_and_the_alerts_read_real_series_and_an_outage_fires_the_failing_alert(TestStack stack)
            throws Exception {
        String topic = stack.newTopic("prometheus", 2);
        String db = stack.newDatabase("prometheus");
        String table = topic.replace('-', '_');
        List<String> lines = new ArrayList<>(TestEvents.jsonLines(0, EVENTS));
        lines.set(10, "{not json");
        Path config = TransferFixtures.config(dir, stack, topic, db, "", "  max_rows: 500\n  max_delay: 100ms\n");
        try (PacedProducer producer = PacedProducer.start(stack.kafka(), topic, lines, 1_000);
             InProcessTransfer transfer = InProcessTransfer.start(stack, config, "prometheus");
             TestPrometheus prometheus = TestPrometheus.start(JOB, List.of("127.0.0.1:" + transfer.httpPort()),
                     DEPLOY.resolve("prometheus/clickstream-transfer.rules.yml"))) {
            assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250), () -> !prometheus.query(
                    "rate(clickstream_transfer_rows_total{job=\"" + JOB + "\"}[10s]) > 0").isEmpty()),
                    "Prometheus never saw rows delivered: " + prometheus.log());

            List<String> noSeries = new ArrayList<>();
            List<String> queries = dashboardQueries();
            for (String q : queries) {
                if (prometheus.query(q).isEmpty()) {
                    noSeries.add(q);
                }
            }
            assertEquals(List.of(), noSeries, "dashboard queries without series");
            assertTrue(queries.size() >= 20, "the dashboard lost its panels: " + queries.size() + " queries");

            JsonNode rules = prometheus.ruleGroups().path(0).path("rules");
            assertEquals(7, rules.size(), "rules loaded: " + rules);
            for (JsonNode rule : rules) {
                assertEquals("ok", rule.path("health").asText(), rule.toString());
                for (String metric : metricsIn(rule.path("query").asText())) {
                    if (prometheus.query(metric + "{job=\"" + JOB + "\"}").isEmpty()) {
                        noSeries.add(rule.path("name").asText() + ": " + metric);
                    }
                }
            }
            assertEquals(List.of(), noSeries, "metrics the alert rules read that the transfer does not export");
            // a lag that rises while the stream starts may make LagGrowing pending (its 15 min have not passed)
            assertEquals(Set.of(), alertNames(prometheus, "firing"), "alerts firing while delivering normally");
            assertTrue(!alertNames(prometheus, "pending").contains("ClickstreamTransferFailing"), prometheus.alerts().toString());

            stack.stack().stopClickHouse();
            try {
                assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(250),
                        () -> alertNames(prometheus).contains("ClickstreamTransferFailing")),
                        "no failing alert while ClickHouse is down: " + prometheus.alerts());
                JsonNode failing = alert(prometheus, "ClickstreamTransferFailing");
                assertEquals("pending", failing.path("state").asText(), failing.toString());
                assertEquals("critical", failing.path("labels").path("severity").asText());
                assertTrue(failing.path("annotations").path("summary").asText().contains("cannot write to ClickHouse"));
                assertEquals(1, prometheus.query("max(clickstream_transfer_failing{job=\"" + JOB + "\"})")
                        .path(0).path("value").path(1).asDouble());
            } finally {
                stack.stack().up(LocalStack.UpOptions.defaults().withRandomPorts(),
                        new PrintWriter(new StringWriter(), true));
            }
            assertTrue(Deadline.in(Duration.ofSeconds(90)).until(Duration.ofMillis(250),
                    () -> !alertNames(prometheus).contains("ClickstreamTransferFailing")),
                    "the failing alert did not resolve: " + prometheus.alerts());

            producer.await(120_000);
            try (ClickHouse ch = stack.connectClickHouse()) {
                assertEquals(EVENTS, awaitDelivered(ch, db, table, EVENTS, Duration.ofSeconds(90)));
                assertEquals(EVENTS, TransferFixtures.distinctKeys(ch, db, table), "a line landed twice");
            }
        }
    }

    /** Each panel's expression with Grafana's variables set as a user who picked "All" would have them. */
    private static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DEPLOY.resolve("grafana/clickstream-transfer.json").toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText().replace("$instance", ".*")
                        .replace("$__rate_interval", "10s").replace("$__range", "5m"));
            }
        }
        String variable = dashboard.path("templating").path("list").path(1).path("definition").asText();
        queries.add(variable.replaceAll("^label_values\\((.*), instance\\)$", "$1"));
        return queries;
    }

    private static Set<String> metricsIn(String expr) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> alertNames(TestPrometheus prometheus) {
        return alertNames(prometheus, null);
    }

    /** Names of the alerts in {@code state} (pending, firing), or in any state for null. */
    private static Set<String> alertNames(TestPrometheus prometheus, String state) {
        Set<String> names = new LinkedHashSet<>();
        prometheus.alerts().forEach(a -> {
            if (state == null || state.equals(a.path("state").asText())) {
                names.add(a.path("labels").path("alertname").asText());
            }
        });
        return names;
    }

    private static JsonNode alert(TestPrometheus prometheus, String name) {
        for (JsonNode a : prometheus.alerts()) {
            if (name.equals(a.path("labels").path("alertname").asText())) {
                return a;
            }
        }
        throw new AssertionError("no alert " + name + ": " + prometheus.alerts());
    }
}
