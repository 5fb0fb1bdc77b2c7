package dev.clickstream.transfer.sink;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.schema.TableLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements a transfer runs at start for its config on one server version: its database, the target
 * table, the unparsed table and the offset log. `transfer --print-ddl` prints them for review or for creating the
 * tables by hand (ON CLUSTER, another engine); the transfer then adopts tables that have its columns.
 */
public final class TransferDdl {
    private TransferDdl() {
    }

    public static List<String> statements(TransferConfig config, ServerVersion version) {
        String database = config.database();
        String table = config.tableName();
        Placement placement = config.placement();
        List<String> sql = new ArrayList<>();
        sql.add(ClickHouseSink.createDatabaseSql(database, placement));
        sql.addAll(ClickHouseSink.createTablesSql(TableLayout.target(config, version), TableLayout.unparsed(version),
                database, table, placement));
        sql.add(OffsetLog.createSql(database, table, placement));
        return sql;
    }
}
