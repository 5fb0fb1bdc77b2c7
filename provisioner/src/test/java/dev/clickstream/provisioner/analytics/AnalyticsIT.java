package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.event.ClickEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of sql/analytics/ on the fixed {@link ShopTraffic}, in both delivery paths' tables, against the
 * numbers worked out here in plain Java from the same events.
 */
@WithLocalStack
class AnalyticsIT {
    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final ShopTraffic TRAFFIC = ShopTraffic.startingAt(START);
    private static final Instant END = TRAFFIC.end();
    private static final Instant FROM = END.minusSeconds(3600);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String seeded(TestStack stack, String path) {
        String db = stack.newDatabase("analytics_" + path);
        try (ClickHouse ch = stack.connectClickHouse()) {
            String table = path.equals("engine") ? SeededTables.engineTable(ch, db) : SeededTables.transferTable(ch, db);
            SeededTables.insert(ch, table, TRAFFIC.events());
            return table;
        }
    }

    private static JsonNode analyticsJson(TestStack stack, String table) throws Exception {
        CliRun run = CliRun.of("analytics", "--json", "--state-dir", stack.stateDir().toString(), "--table", table,
                "--since", "1h", "--until", END.toString());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Events from " + table + ", " + TRAFFIC.events().size() + " rows"), run::toString);
        return JSON.readTree(run.out());
    }

    @ParameterizedTest(name = "{0} table")
    @ValueSource(strings = {"engine", "transfer"})
    void each_query_returns_the_numbers_of_the_fixed_traffic(String path, TestStack stack) throws Exception {
        String table = seeded(stack, path);
        JsonNode report = analyticsJson(stack, table);

        assertEquals(table, report.get("table").asText());
        assertEquals(END.toString(), report.get("until").asText());
        assertEquals(3600, report.get("since_seconds").asLong());
        assertEquals(60, report.get("bucket_seconds").asLong());

        List<ClickEvent> window = between(FROM, END);
        List<ClickEvent> lastFive = between(END.minusSeconds(300), END);
        assertEquals(List.of(List.of(ReferenceAnalytics.distinct(lastFive, ClickEvent::userId), ReferenceAnalytics.distinct(lastFive, ClickEvent::sessionId),
                (long) lastFive.size())), rows(report, "active_users", "users", "sessions", "events"));
        assertEquals(List.of(List.of(3L, 3L, 10L)), rows(report, "active_users", "users", "sessions", "events"),
                "sessions 28, 29 and 30 are in the last 5 minutes; 27 ended just before");

        List<ClickEvent> beforeEnd = between(Instant.EPOCH, END);
        Instant newest = beforeEnd.stream().map(ReferenceAnalytics::time).max(Comparator.naturalOrder()).orElseThrow()
                .truncatedTo(ChronoUnit.SECONDS);
        assertEquals(List.of(List.of(ReferenceAnalytics.CLICKHOUSE_TIME.format(newest), END.getEpochSecond() - newest.getEpochSecond(),
                (long) beforeEnd.size())), rows(report, "freshness", "newest", "freshness_seconds", "total_events"));

        assertEquals(ReferenceAnalytics.eventsPerMinute(window, FROM, END), rows(report, "events_over_time", "bucket", "events", "users", "sessions"));
        assertEquals(61, report.get("events_over_time").size(), "the minutes from 10:36 an hour back, both ends partial");

        assertEquals(ReferenceAnalytics.funnel(window), rows(report, "funnel", "step_name", "sessions"));
        assertEquals(List.of(List.of("page_view", 31L), List.of("add_to_cart", 11L), List.of("purchase", 5L)),
                rows(report, "funnel", "step_name", "sessions"), "s-30 bought before adding to the cart: no purchase");
        assertEquals(List.of(List.of(100.0, 100.0), List.of(35.5, 35.5), List.of(16.1, 45.5)),
                doubles(report.get("funnel"), "of_first", "of_previous"), "percentages of 31 -> 11 -> 5");

        assertEquals(ReferenceAnalytics.topPages(window, 10), rows(report, "top_pages", "page_path", "views", "users", "sessions"));
        assertEquals(List.of("/", 31L), rows(report, "top_pages", "page_path", "views").get(0));

        assertEquals(ReferenceAnalytics.topReferrers(window, 10), rows(report, "top_referrers", "source", "sessions", "events"));
        assertEquals(ReferenceAnalytics.split(window, ClickEvent::device, 10), rows(report, "devices", "device_type", "events", "users"));
        assertEquals(ReferenceAnalytics.split(window, ClickEvent::country, 10), rows(report, "countries", "country_code", "events", "users"));
        assertShares(window, ClickEvent::device, report.get("devices"), "device_type");
        assertShares(window, ClickEvent::country, report.get("countries"), "country_code");
    }

    @Test
    void without_json_each_query_is_an_aligned_table_under_its_title(TestStack stack) {
        String table = seeded(stack, "transfer");
        CliRun run = CliRun.of("analytics", "--state-dir", stack.stateDir().toString(), "--table", table,
                "--since", "1h", "--until", END.toString());
        assertEquals(0, run.exitCode(), run::toString);
        String out = run.out();
        for (String title : List.of("Active now (last 5 minutes)", "Delivery freshness", "Events per minute (last 1h)",
                "Funnel per session: page_view -> add_to_cart -> purchase (last 1h)", "Top pages by page views (last 1h)",
                "Top referrers by sessions (last 1h)", "Devices (last 1h)", "Countries (last 1h)")) {
            assertTrue(out.lines().anyMatch(title::equals), "no section '" + title + "' in\n" + out);
        }
        assertTrue(out.contains("\n  step_name    sessions  of_first  of_previous\n"
                + "  page_view          31       100          100\n"), out);
        assertTrue(out.contains("\n  2026-11-25 10:00:00       1      1         1  #"), "the minute of 10:00 has a bar:\n" + out);
        assertTrue(run.err().contains("window 1h until 2026-11-25 10:36:40 UTC"), run::toString);
    }

    @Test
    void the_default_table_is_the_first_with_rows_else_the_first_that_exists(TestStack stack) {
        try (ClickHouse ch = stack.connectClickHouse()) {
            EventsTable missing = new EventsTable(stack.newDatabase("choose"), "events", -1);
            EventsTable empty = EventsTable.parse("t", seededEmpty(ch, stack.newDatabase("choose")));
            EventsTable full = EventsTable.parse("t", seeded(stack, "engine"));

            assertEquals(full.qualified(), EventsTable.choose(ch, List.of(missing, empty, full)).qualified());
            assertEquals(TRAFFIC.events().size(), EventsTable.choose(ch, List.of(missing, empty, full)).rows());
            assertEquals(empty.qualified(), EventsTable.choose(ch, List.of(missing, empty)).qualified());
            UserFacingException none = assertThrows(UserFacingException.class,
                    () -> EventsTable.choose(ch, List.of(missing)));
            assertTrue(none.getMessage().contains("none of " + missing.qualified() + " exists"), none.getMessage());
        }
    }

    @Test
    void a_table_that_does_not_exist_is_one_error_line(TestStack stack) {
        CliRun run = CliRun.of("analytics", "--state-dir", stack.stateDir().toString(), "--table", "nowhere.events");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: --table: table nowhere.events does not exist in ClickHouse at http://"),
                run::toString);
        assertEquals("", run.out());
    }

    private static String seededEmpty(ClickHouse ch, String db) {
        return SeededTables.transferTable(ch, db);
    }

    private static List<ClickEvent> between(Instant from, Instant until) {
        return ReferenceAnalytics.between(TRAFFIC.events(), from, until);
    }

    private static void assertShares(List<ClickEvent> window, Function<ClickEvent, String> key, JsonNode rows,
                                     String column) {
        Map<String, Long> counts = window.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
        double sum = 0;
        for (JsonNode row : rows) {
            double exact = 100.0 * counts.get(row.get(column).asText()) / window.size();
            double shown = row.get("share").asDouble();
            assertTrue(Math.abs(shown - exact) <= 0.05 + 1e-9, column + " " + row + ": share " + shown + " for " + exact);
            sum += shown;
        }
        assertTrue(Math.abs(sum - 100) < 0.5, "shares add up to " + sum);
    }

    private static List<List<Double>> doubles(JsonNode rows, String... fields) {
        List<List<Double>> values = new ArrayList<>();
        for (JsonNode row : rows) {
            values.add(java.util.Arrays.stream(fields).map(f -> row.get(f).asDouble()).toList());
        }
        return values;
    }

    /** The named fields of a query's rows: text as String, integers as Long, other numbers as Double. */
    private static List<List<Object>> rows(JsonNode report, String query, String... fields) {
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : report.get(query)) {
            List<Object> values = new ArrayList<>();
            for (String f : fields) {
                JsonNode v = row.get(f);
                assertTrue(v != null, query + " has no column " + f + ": " + row);
                values.add(v.isIntegralNumber() ? (Object) v.asLong() : v.isNumber() ? (Object) v.asDouble() : v.asText());
            }
            rows.add(values);
        }
        return rows;
    }
}
