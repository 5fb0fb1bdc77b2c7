package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.cli.ClickHouseOptions;
import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.clickhouse.ClickHouse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

/** Runs the queries of sql/analytics/ and prints their results as tables or JSON. */
@Command(name = "analytics", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print what users do: events over time, active users, funnel, top pages and referrers, devices, "
                + "countries, freshness.",
        description = "Runs the queries of sql/analytics/ over the events table and prints each result as an "
                + "aligned table on stdout (or all of them as one JSON object with --json); which table and window "
                + "were used goes to stderr. The table is the transfer's default.clickhouse_events when it exists "
                + "and has rows, else the Kafka engine's clickstream.events (or --table). The window ends at the "
                + "server's now() unless --until says otherwise; active users always cover its last 5 minutes.",
        footer = {"", "Examples:", "  ./clickstream analytics",
                "  ./clickstream analytics --since 15m --json | jq .funnel",
                "  ./clickstream analytics --table clickstream.events --since 1d --until 2026-11-25T12:00:00Z"})
public final class AnalyticsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    StateOptions state;

    @Mixin
    ClickHouseOptions clickhouse;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "Length of the window: 15m, 1h, 1d (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Option(names = "--until", paramLabel = "TIME", converter = InstantConverter.class,
            description = "End of the window (exclusive), e.g. 2026-11-25T12:00:00Z (default: the server's now()).")
    Instant until;

    @Mixin
    EventsTableOptions tableOption;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10",
            description = "Rows of each top list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print one JSON object: {table, until, since_seconds, <query>: [rows]}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        AnalyticsWindow window = new AnalyticsWindow(since, until, limit);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<EventsTable> defaults = EventsTable.defaults(state, clickhouse);
        try (ClickHouse ch = ClickHouse.connect(clickhouse.resolve(state))) {
            EventsTable events = EventsTable.pick(ch, tableOption.given(), defaults);
            AnalyticsReport report = Analytics.run(ch, events, events.describe(defaults), window);
            err.println("Events from " + report.tableDescription() + ", " + events.rows() + " rows"
                    + (events.rows() == 0 ? " (nothing delivered yet)" : "") + "; ClickHouse " + report.serverVersion()
                    + "; window " + window.sinceText() + " until " + Analytics.CLICKHOUSE_TIME.format(report.until())
                    + " UTC");
            err.flush();
            if (json) {
                out.println(JSON.writeValueAsString(report.toJson()));
                out.flush();
            } else {
                ReportPrinter.print(report, out);
            }
        }
        return ExitCodes.OK;
    }


    /** RFC 3339 / ISO-8601 instants: 2026-11-25T12:00:00Z. */
    public static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return Instant.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value
                        + "' is not a time such as 2026-11-25T12:00:00Z (UTC, ISO-8601)");
            }
        }
    }
}
