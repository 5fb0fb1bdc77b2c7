package dev.clickstream.provisioner.analytics;

import dev.clickstream.provisioner.sql.SqlApplyCommand;
import dev.clickstream.provisioner.sql.SqlTemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One query of sql/analytics/ (bundled into the launcher as /sql/analytics/NAME.sql) and its title.
 */
public record AnalyticsQuery(String name, String title) {
    public static final AnalyticsQuery ACTIVE_USERS = new AnalyticsQuery("active_users", "Active now (last 5 minutes)");
    public static final AnalyticsQuery FRESHNESS = new AnalyticsQuery("freshness", "Delivery freshness");
    public static final AnalyticsQuery EVENTS_OVER_TIME = new AnalyticsQuery("events_over_time", "Events over time");
    public static final AnalyticsQuery FUNNEL = new AnalyticsQuery("funnel",
            "Funnel per session: page_view -> add_to_cart -> purchase");
    public static final AnalyticsQuery TOP_PAGES = new AnalyticsQuery("top_pages", "Top pages by page views");
    public static final AnalyticsQuery TOP_REFERRERS = new AnalyticsQuery("top_referrers", "Top referrers by sessions");
    public static final AnalyticsQuery DEVICES = new AnalyticsQuery("devices", "Devices");
    public static final AnalyticsQuery COUNTRIES = new AnalyticsQuery("countries", "Countries");

    /** In the order they are printed. */
    public static final List<AnalyticsQuery> ALL = List.of(ACTIVE_USERS, FRESHNESS, EVENTS_OVER_TIME, FUNNEL,
            TOP_PAGES, TOP_REFERRERS, DEVICES, COUNTRIES);

    public String file() {
        return "analytics/" + name + ".sql";
    }

    /** The bundled SQL with the placeholders filled in: one statement. */
    public String render(Map<String, String> values) {
        String rendered = SqlTemplate.render("sql/" + file(), SqlApplyCommand.bundled(file()), values, Set.of(),
                Set.of());
        List<String> statements = SqlTemplate.statements(rendered);
        if (statements.size() != 1) {
            throw new IllegalStateException("sql/" + file() + " must hold one statement, has " + statements.size());
        }
        return statements.get(0);
    }
}
