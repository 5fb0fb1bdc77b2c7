package dev.clickstream.provisioner.dashboard;

import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clickstream.provisioner.analytics.Analytics;
import dev.clickstream.provisioner.analytics.AnalyticsReport;
import dev.clickstream.provisioner.analytics.AnalyticsWindow;
import dev.clickstream.provisioner.analytics.EventsTable;

import java.util.List;

/**
 * The analytics of the last hour, asked again for every poll of the page. Without a fixed table the choice is
 * made again each time, so the dashboard follows the transfer's table once it has rows.
 */
final class LiveAnalytics {
    private final ClickHouse clickhouse;
    private final EventsTable fixedTable;
    private final List<EventsTable> defaults;

    /** @param fixedTable the --table, or null to choose among {@code defaults} */
    LiveAnalytics(ClickHouse clickhouse, EventsTable fixedTable, List<EventsTable> defaults) {
        this.clickhouse = clickhouse;
        this.fixedTable = fixedTable;
        this.defaults = defaults;
    }

    /** The report as JSON (see AnalyticsReport#toJson) plus the table's description and row count. */
    ObjectNode snapshot() {
        EventsTable table = EventsTable.pick(clickhouse, fixedTable, defaults);
        AnalyticsReport report = Analytics.run(clickhouse, table, table.describe(defaults), AnalyticsWindow.lastHour());
        ObjectNode json = report.toJson();
        json.put("table_description", report.tableDescription());
        json.put("table_rows", table.rows());
        return json;
    }

    /** The table the analytics read now. */
    EventsTable table() {
        return EventsTable.pick(clickhouse, fixedTable, defaults);
    }

    String describe() {
        return "ClickHouse at " + clickhouse.endpoint().url() + ", table " + (fixedTable != null ? fixedTable.qualified()
                : String.join(" or ", defaults.stream().map(EventsTable::qualified).toList()));
    }
}
