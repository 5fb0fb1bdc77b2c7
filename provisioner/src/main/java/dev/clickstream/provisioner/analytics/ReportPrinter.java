package dev.clickstream.provisioner.analytics;

import java.io.PrintWriter;

/** The report as aligned tables, one section per query, in the order of {@link AnalyticsQuery#ALL}. */
final class ReportPrinter {
    private ReportPrinter() {
    }

    static void print(AnalyticsReport report, PrintWriter out) {
        boolean first = true;
        for (AnalyticsQuery q : AnalyticsQuery.ALL) {
            if (!first) {
                out.println();
            }
            first = false;
            out.println(title(q, report.window()));
            TextTable.print(out, report.rows(q), q == AnalyticsQuery.EVENTS_OVER_TIME ? "events" : null);
        }
        out.flush();
    }

    static String title(AnalyticsQuery q, AnalyticsWindow window) {
        if (q == AnalyticsQuery.EVENTS_OVER_TIME) {
            long b = window.bucketSeconds();
            String per = b == 60 ? "minute" : b % 3600 == 0 ? (b / 3600 == 1 ? "hour" : b / 3600 + " hours")
                    : b / 60 + " minutes";
            return "Events per " + per + " (last " + window.sinceText() + ")";
        }
        if (q == AnalyticsQuery.ACTIVE_USERS || q == AnalyticsQuery.FRESHNESS) {
            return q.title();
        }
        return q.title() + " (last " + window.sinceText() + ")";
    }
}
