package dev.clickstream.transfer.shard;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.schema.Placement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code <table>_all}, a Distributed table over the target's local tables on every shard, for reading the whole
 * cluster at once: a query on it reads one replica of each shard. Its sharding key {@code _partition} gives an
 * INSERT into it the same shard as {@link ShardMap} (equal weights), though the transfer itself writes to the
 * shards' local tables. It follows the target's columns (schema evolution), created and altered ON CLUSTER.
 */
public final class DistributedTable implements ShardedStore.Companion {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");

    private final SqlSession ch;
    private final Placement placement;
    private final String database;
    private final String table;

    public DistributedTable(SqlSession ch, Placement placement, String database, String table) {
        this.ch = ch;
        this.placement = placement;
        this.database = database;
        this.table = table;
    }

    public String name() {
        return table + "_all";
    }

    public static String createSql(Placement placement, String database, String table) {
        return "CREATE TABLE IF NOT EXISTS " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(table + "_all")
                + placement.onClusterClause() + " AS " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(table)
                + " ENGINE = Distributed(" + ClickHouse.quote(placement.cluster()) + ", " + ClickHouse.quote(database)
                + ", " + ClickHouse.quote(table) + ", _partition)";
    }

    /** Creates it when missing here, and gives it the target's columns it lacks (added by schema evolution). */
    @Override
    public void ensure() {
        // only when missing here: ON CLUSTER waits for every server, and a restart with one down would block
        if (!ch.tableExists(database, name())) {
            ch.execute(createSql(placement, database, table));
        }
        List<String> have = ch.columnNames(database, name());
        for (var column : ch.query("SELECT name, type FROM system.columns WHERE database = " + ClickHouse.quote(database)
                + " AND table = " + ClickHouse.quote(table))) {
            String name = column.get("name").asText();
            if (!have.contains(name)) {
                try {
                    ch.execute("ALTER TABLE " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(name())
                            + placement.onClusterClause() + " ADD COLUMN " + ClickHouse.identifier(name) + " "
                            + column.get("type").asText());
                } catch (RuntimeException e) {
                    // reading the new column across shards waits for it; delivery does not
                    LOG.warn("column {} could not be added to {}.{}: {}", name, database, name(), e.getMessage());
                }
            }
        }
    }

    /** The cleanup policy DROP recreated the target, maybe with other columns: the Distributed table follows. */
    public void drop() {
        ch.execute("DROP TABLE IF EXISTS " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(name())
                + placement.onClusterClause());
    }
}
