package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.event.ClickEvent;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What each query of sql/analytics/ should answer, worked out in plain Java from the events themselves: the
 * independent side of the analytics tests. Rows are lists of String, Long values in the queries' column order.
 */
public final class ReferenceAnalytics {
    public static final DateTimeFormatter CLICKHOUSE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final List<String> FUNNEL_STEPS = List.of("page_view", "add_to_cart", "purchase");

    private ReferenceAnalytics() {
    }

    public static Instant time(ClickEvent e) {
        return Instant.parse(e.userTs());
    }

    /** The events in [from, until). */
    public static List<ClickEvent> between(List<ClickEvent> events, Instant from, Instant until) {
        return events.stream().filter(e -> !time(e).isBefore(from) && time(e).isBefore(until)).toList();
    }

    public static long distinct(List<ClickEvent> events, Function<ClickEvent, String> key) {
        return events.stream().map(key).distinct().count();
    }

    /** [minute, events, users, sessions] for every minute from the one holding {@code from} to the one before {@code until}. */
    public static List<List<Object>> eventsPerMinute(List<ClickEvent> window, Instant from, Instant until) {
        Map<Instant, List<ClickEvent>> byMinute = window.stream()
                .collect(Collectors.groupingBy(e -> time(e).truncatedTo(ChronoUnit.MINUTES)));
        List<List<Object>> rows = new ArrayList<>();
        for (Instant m = from.truncatedTo(ChronoUnit.MINUTES); m.isBefore(until); m = m.plusSeconds(60)) {
            List<ClickEvent> in = byMinute.getOrDefault(m, List.of());
            rows.add(List.of(CLICKHOUSE_TIME.format(m), (long) in.size(), distinct(in, ClickEvent::userId),
                    distinct(in, ClickEvent::sessionId)));
        }
        return rows;
    }

    /** [step, sessions]: per session, in time order, how far along page_view, add_to_cart, purchase it got. */
    public static List<List<Object>> funnel(List<ClickEvent> window) {
        Map<String, List<ClickEvent>> sessions = window.stream().collect(Collectors.groupingBy(ClickEvent::sessionId));
        long[] reached = new long[FUNNEL_STEPS.size()];
        for (List<ClickEvent> events : sessions.values()) {
            int level = 0;
            for (ClickEvent e : events.stream().sorted(Comparator.comparing(ReferenceAnalytics::time)).toList()) {
                if (level < FUNNEL_STEPS.size() && e.eventType().equals(FUNNEL_STEPS.get(level))) {
                    level++;
                }
            }
            for (int s = 0; s < level; s++) {
                reached[s]++;
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int s = 0; s < FUNNEL_STEPS.size(); s++) {
            rows.add(List.of(FUNNEL_STEPS.get(s), reached[s]));
        }
        return rows;
    }

    /** [path, views, users, sessions] of page views, most viewed first. */
    public static List<List<Object>> topPages(List<ClickEvent> window, int limit) {
        Map<String, List<ClickEvent>> byPath = window.stream().filter(e -> e.eventType().equals("page_view"))
                .collect(Collectors.groupingBy(e -> URI.create(e.url()).getPath()));
        return ranked(byPath, limit, e -> (long) e.size(), List.of(ClickEvent::userId, ClickEvent::sessionId));
    }

    /** [source, sessions, events]: external referrers by host, '(direct)' for none. */
    public static List<List<Object>> topReferrers(List<ClickEvent> window, int limit) {
        Map<String, List<ClickEvent>> bySource = window.stream()
                .filter(e -> e.referrer().isEmpty() || !host(e.referrer()).equals(host(e.url())))
                .collect(Collectors.groupingBy(e -> e.referrer().isEmpty() ? "(direct)" : host(e.referrer())));
        return ranked(bySource, limit, e -> distinct(e, ClickEvent::sessionId), List.of()).stream().map(r -> List.of(r.get(0), r.get(1), (Object) (long) bySource.get((String) r.get(0)).size()))
                .toList();
    }

    /** [key, events, users] per value of {@code key}, most events first. */
    public static List<List<Object>> split(List<ClickEvent> window, Function<ClickEvent, String> key, int limit) {
        return ranked(window.stream().collect(Collectors.groupingBy(key)), limit, e -> (long) e.size(),
                List.of(ClickEvent::userId));
    }

    /** Rows [key, measure, distinct counts...], the largest measure first, then by key. */
    private static List<List<Object>> ranked(Map<String, List<ClickEvent>> groups, int limit,
                                             Function<List<ClickEvent>, Long> measure,
                                             List<Function<ClickEvent, String>> distinctCounts) {
        return groups.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<ClickEvent>> g) -> -measure.apply(g.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(g -> {
                    List<Object> row = new ArrayList<>(List.of(g.getKey(), measure.apply(g.getValue())));
                    distinctCounts.forEach(d -> row.add(distinct(g.getValue(), d)));
                    return (List<Object>) row;
                }).toList();
    }

    private static String host(String url) {
        return URI.create(url).getHost();
    }
}
