package dev.clickstream.transfer.shard;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.destination.ShardMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * {@code <table>_all}, a Distributed table over the target's local tables on every shard, for reading the whole
 * cluster at once: a query on it reads one replica of each shard. Its sharding key {@code _partition} gives an
 * INSERT into it the same shard as {@link ShardMap} (equal weights), though the transfer itself writes to the
 * shards' local tables. It follows the target's columns (schema evolution), created and made again ON CLUSTER.
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

    /**
     * Creates it when missing here, and makes it again when its columns differ from the target's (schema evolution,
     * or a person's ALTER): 18.16 refuses ALTER ON CLUSTER of a Distributed table where shards replicate internally
     * (Code 371), and a Distributed table the transfer never writes through holds no rows, so dropping it loses
     * nothing; a query on it in that instant finds no table.
     */
    @Override
    public void ensure() {
        // only when missing or different here: ON CLUSTER waits for every server, and a restart with one down would block
        if (ch.tableExists(database, name())) {
            if (columns(name()).equals(columns(table))) {
                return;
            }
            LOG.info("{}.{} has other columns than {}.{}: made again over it", database, name(), database, table);
            drop();
        }
        ch.execute(createSql(placement, database, table));
    }

    private String columns(String of) {
        return ch.queryText("SELECT name, type FROM system.columns WHERE database = " + ClickHouse.quote(database)
                + " AND table = " + ClickHouse.quote(of));
    }

    /** The cleanup policy DROP recreated the target, maybe with other columns: the Distributed table follows. */
    public void drop() {
        ch.execute("DROP TABLE IF EXISTS " + ClickHouse.identifier(database) + "." + ClickHouse.identifier(name())
                + placement.onClusterClause());
    }
}
