package dev.clickstream.provisioner.analytics;

import dev.clickstream.common.cli.ClickHouseOptions;
import dev.clickstream.common.cli.ExitCodes;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.provisioner.sql.KafkaEngineSql;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The table the analytics read: one of the two delivery paths' tables, which have the same event columns.
 *
 * @param rows rows when it was chosen; -1 when not counted
 */
public record EventsTable(String database, String table, long rows) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The transfer's default database (transfer.yaml's target.database). */
    public static final String TRANSFER_DATABASE = "default";

    public String qualified() {
        return database + "." + table;
    }

    /** {@code DATABASE.TABLE} or {@code TABLE} (in `default`), as given to --table. */
    public static EventsTable parse(String option, String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2 || parts.length == 0 || !java.util.Arrays.stream(parts).allMatch(p ->
                IDENTIFIER.matcher(p).matches())) {
            throw new UserFacingException(option + ": '" + text + "' is not DATABASE.TABLE (letters, digits, _)",
                    ExitCodes.USAGE, null);
        }
        return parts.length == 1 ? new EventsTable("default", parts[0], -1) : new EventsTable(parts[0], parts[1], -1);
    }

    /**
     * Where the two delivery paths write for this profile, the transfer's first: {@code default.<topic>} and
     * the Kafka engine's {@code clickstream.events}. Without a profile, the names for the demo topic.
     */
    public static List<EventsTable> defaults(ConnectionProfile profile) {
        String topic = profile == null ? ConnectionProfile.DEFAULT_TOPIC : profile.topicOrDefault();
        return List.of(new EventsTable(TRANSFER_DATABASE, TransferConfig.identifierFromTopic(topic), -1),
                new EventsTable(KafkaEngineSql.databaseFor(profile), KafkaEngineSql.DEFAULT_TABLE, -1));
    }

    /**
     * The defaults for the profile of a command's flags; with --clickhouse-url and no profile file, those of the
     * demo topic (the profile only names the topic).
     */
    public static List<EventsTable> defaults(StateOptions state, ClickHouseOptions clickhouse) {
        boolean noProfile = clickhouse.urlGiven() && !state.profileGiven() && !Files.exists(state.profileFile());
        return defaults(noProfile ? null : state.loadProfile());
    }

    /**
     * {@code <table>_all} when it is a Distributed table over this one (the transfer's on several shards, `sql apply`'s
     * on a cluster), else this table: on a sharded cluster a local table holds one shard's rows only.
     */
    public EventsTable wholeCluster(SqlSession ch) {
        String all = table + "_all";
        String engine = ch.queryText("SELECT engine FROM system.tables WHERE database = " + ClickHouse.quote(database)
                + " AND name = " + ClickHouse.quote(all)).strip();
        return engine.equals("Distributed") ? new EventsTable(database, all, -1) : this;
    }

    /**
     * The first candidate that has rows, else the first that exists; an error naming them all when none does. A
     * candidate with a Distributed companion is read through it ({@link #wholeCluster}).
     */
    public static EventsTable choose(SqlSession ch, List<EventsTable> candidates) {
        List<EventsTable> existing = new ArrayList<>();
        for (EventsTable t : candidates) {
            if (ch.tableExists(t.database(), t.table())) {
                EventsTable counted = t.wholeCluster(ch).counted(ch);
                if (counted.rows() > 0) {
                    return counted;
                }
                existing.add(counted);
            }
        }
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        throw new UserFacingException("no events table in ClickHouse at " + ch.location() + ": none of "
                + String.join(", ", candidates.stream().map(EventsTable::qualified).toList())
                + " exists. Deliver events first (./clickstream transfer --config transfer/transfer.yaml, or"
                + " ./clickstream sql apply), or name the table with --table DATABASE.TABLE");
    }

    /** The {@code given} table (--table) when it exists, else the one {@link #choose} picks; with its row count. */
    public static EventsTable pick(SqlSession ch, EventsTable given, List<EventsTable> defaults) {
        return given != null ? given.require(ch, "--table") : choose(ch, defaults);
    }

    /** This table when it exists, with its row count. */
    public EventsTable require(SqlSession ch, String option) {
        if (!ch.tableExists(database, table)) {
            throw new UserFacingException(option + ": table " + qualified() + " does not exist in ClickHouse at "
                    + ch.location());
        }
        return counted(ch);
    }

    private EventsTable counted(SqlSession ch) {
        return new EventsTable(database, table, ch.queryLong("SELECT count() FROM " + ClickHouse.identifier(database)
                + "." + ClickHouse.identifier(table)));
    }

    /** Which delivery path writes this table, for people: "the transfer's" or "the Kafka engine's". */
    public String describe(List<EventsTable> defaults) {
        if (!defaults.isEmpty() && sameName(defaults.get(0))) {
            return qualified() + " (the transfer's table)";
        }
        if (defaults.size() > 1 && sameName(defaults.get(1))) {
            return qualified() + " (the Kafka engine's table)";
        }
        return qualified();
    }

    private boolean sameName(EventsTable other) {
        return database.equals(other.database) && (table.equals(other.table) || table.equals(other.table + "_all"));
    }
}
