package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.event.ClickEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import dev.clickstream.testsupport.chdb.ChdbSession;
import dev.clickstream.testsupport.chdb.WithChdb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every query of sql/analytics/ over the same seeded {@link ShopTraffic}, in both delivery paths' tables, on both
 * generations of ClickHouse: the local stack's server (Debian's 18.16 here; the GitHub workflow's second job runs a
 * current LTS there) and the 26.x engine in this JVM (chDB). The
 * answers must be the same, query by query and row by row; a few key numbers are checked against
 * {@link ReferenceAnalytics} too, so that two empty or equally broken reports cannot pass.
 */
@WithLocalStack
@WithChdb
class ModernAnalyticsIT {
    private static final ShopTraffic TRAFFIC = ShopTraffic.startingAt(Instant.parse("2026-11-25T10:00:00Z"));
    private static final Instant END = TRAFFIC.end();
    /** The window of AnalyticsIT: the hour before the end of the traffic. */
    private static final AnalyticsWindow HOUR = new AnalyticsWindow(Duration.ofHours(1), END, 10);
    /** An hour after the traffic: nothing in the window, but a newest event (aggregates over no rows). */
    private static final AnalyticsWindow QUIET_HOUR = new AnalyticsWindow(Duration.ofHours(1),
            END.plus(Duration.ofHours(3)), 10);
    /** A day before the traffic: no event at all before the end of the window. */
    private static final AnalyticsWindow BEFORE = new AnalyticsWindow(Duration.ofHours(1), END.minus(Duration.ofDays(1)), 10);
    /** A day over all of it: half-hour buckets and top-3 lists that cut ranked rows off. */
    private static final AnalyticsWindow DAY = new AnalyticsWindow(Duration.ofDays(1), END.plus(Duration.ofHours(3)), 3);
    private static final List<AnalyticsWindow> WINDOWS = List.of(HOUR, QUIET_HOUR, BEFORE, DAY);

    private static ChdbSession modern;

    @BeforeAll
    static void open(ChdbSession session) {
        modern = session;
    }

    @ParameterizedTest(name = "{0} table")
    @ValueSource(strings = {"engine", "transfer"})
    void every_query_answers_the_same_on_18_16_and_on_26_x(String path, TestStack stack) {
        Map<AnalyticsWindow, AnalyticsReport> legacy;
        try (ClickHouse ch = stack.connectClickHouse()) {
            legacy = seededReports(ch, stack.newDatabase("modern_" + path), path);
        }
        modern.execute("CREATE DATABASE IF NOT EXISTS analytics_" + path);
        Map<AnalyticsWindow, AnalyticsReport> current = seededReports(modern, "analytics_" + path, path);

        assertTrue(modern.version().atLeast(26, 1), modern.version().toString());
        String versions = legacy.get(HOUR).serverVersion() + " (expected) vs " + modern.version();
        for (AnalyticsWindow w : WINDOWS) {
            for (AnalyticsQuery q : AnalyticsQuery.ALL) {
                assertEquals(cells(legacy.get(w).rows(q)), cells(current.get(w).rows(q)), "sql/" + q.file() + " on the "
                        + path + " table, " + w.sinceText() + " until " + w.until() + ": " + versions);
            }
        }
        assertKeyNumbers(current.get(HOUR));
        assertEquals(List.of(List.of(0L, 0L, 0L)), values(current.get(QUIET_HOUR).rows(AnalyticsQuery.ACTIVE_USERS)),
                "nobody is active in a quiet hour: 0, not NULL");
    }

    /** Seeds the path's table on {@code ch} and runs every query over each window, as `clickstream analytics` does. */
    private static Map<AnalyticsWindow, AnalyticsReport> seededReports(SqlSession ch, String database, String path) {
        String table = path.equals("engine") ? SeededTables.engineTable(ch, database)
                : SeededTables.transferTable(ch, database);
        SeededTables.insert(ch, table, TRAFFIC.events());
        Map<AnalyticsWindow, AnalyticsReport> reports = new LinkedHashMap<>();
        for (AnalyticsWindow w : WINDOWS) {
            reports.put(w, Analytics.run(ch, EventsTable.parse("--table", table), table, w));
        }
        return reports;
    }

    /** The numbers AnalyticsIT asserts on 18.16, on 26.x. */
    private static void assertKeyNumbers(AnalyticsReport report) {
        Instant from = END.minus(HOUR.since());
        List<ClickEvent> window = ReferenceAnalytics.between(TRAFFIC.events(), from, END);
        assertEquals(List.of(List.of(3L, 3L, 10L)), values(report.rows(AnalyticsQuery.ACTIVE_USERS)),
                "sessions 28, 29 and 30 are in the last 5 minutes");

        List<ClickEvent> beforeEnd = ReferenceAnalytics.between(TRAFFIC.events(), Instant.EPOCH, END);
        Instant newest = beforeEnd.stream().map(ReferenceAnalytics::time).max(Instant::compareTo).orElseThrow();
        assertEquals(List.of(List.of(ReferenceAnalytics.CLICKHOUSE_TIME.format(newest),
                        END.getEpochSecond() - newest.getEpochSecond(), (long) beforeEnd.size())),
                values(report.rows(AnalyticsQuery.FRESHNESS)));

        assertEquals(ReferenceAnalytics.eventsPerMinute(window, from, END),
                values(report.rows(AnalyticsQuery.EVENTS_OVER_TIME)));
        assertEquals(List.of(List.of("page_view", 31L), List.of("add_to_cart", 11L), List.of("purchase", 5L)),
                values(report.rows(AnalyticsQuery.FUNNEL)).stream().map(r -> r.subList(0, 2)).toList(),
                "s-30 bought before adding to the cart: no purchase");
        assertEquals(List.of(List.of(100.0, 100.0), List.of(35.5, 35.5), List.of(16.1, 45.5)),
                report.rows(AnalyticsQuery.FUNNEL).stream()
                        .map(r -> List.of(r.get("of_first").asDouble(), r.get("of_previous").asDouble())).toList());
        assertEquals(ReferenceAnalytics.topPages(window, 10), values(report.rows(AnalyticsQuery.TOP_PAGES)));
        assertEquals(ReferenceAnalytics.topReferrers(window, 10), values(report.rows(AnalyticsQuery.TOP_REFERRERS)));
    }

    /**
     * Each row as its [column=JSON value, ...] in column order, the JSON exactly as the server wrote it. Nothing is
     * normalised because nothing needs to be: every query turns times into DateTime in UTC (toDateTime, never
     * DateTime64's fractions), Analytics asks both servers for unquoted 64-bit integers, and both print a rounded
     * Float64 in its shortest form (100, 35.5). Should a later server write the same value differently, this
     * fails showing both rows, and the fix belongs in the query or in Analytics, where the CLI and the dashboard
     * would meet the difference too.
     */
    private static List<List<String>> cells(List<JsonNode> rows) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            row.fields().forEachRemaining(cell -> cells.add(cell.getKey() + "=" + cell.getValue()));
            out.add(cells);
        }
        return out;
    }

    /** Each row's values in column order: text as String, integers as Long, other numbers as Double. */
    private static List<List<Object>> values(List<JsonNode> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (JsonNode row : rows) {
            List<Object> cells = new ArrayList<>();
            row.elements().forEachRemaining(v -> cells.add(v.isIntegralNumber() ? (Object) v.asLong()
                    : v.isNumber() ? (Object) v.asDouble() : v.asText()));
            out.add(cells);
        }
        return out;
    }
}
