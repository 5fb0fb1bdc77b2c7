package dev.clickstream.transfer.config;

import dev.clickstream.common.clickhouse.ClickHouse;

/**
 * Where the transfer's tables live: on the one server it talks to, or on every server of a cluster
 * ({@code target.cluster}), created and altered ON CLUSTER as ReplicatedMergeTree, so the offset log is
 * replicated with the data and a replica that takes over knows what was delivered.
 */
public record Placement(String cluster) {
    public static final Placement SINGLE_SERVER = new Placement(null);

    public Placement {
        if (cluster != null && cluster.isBlank()) {
            cluster = null;
        }
    }

    public boolean onCluster() {
        return cluster != null;
    }

    /** {@code " ON CLUSTER 'name'"}, or nothing on a single server. */
    public String onClusterClause() {
        return cluster == null ? "" : " ON CLUSTER '" + cluster.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The table engine; on a cluster its ZooKeeper path names the shard (a macro), the database and the table. */
    public String engine(String database, String table) {
        if (cluster == null) {
            return "MergeTree()";
        }
        String path = "/clickhouse/tables/{shard}/" + database + "/" + table;
        return "ReplicatedMergeTree('" + path.replace("'", "\\'") + "', '{replica}')";
    }

    /** {@code database.table} for the statements, quoted as identifiers. */
    public static String qualified(String database, String table) {
        return ClickHouse.identifier(database) + "." + ClickHouse.identifier(table);
    }
}
