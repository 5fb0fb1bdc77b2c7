package dev.clickstream.transfer.replica;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.SqlSession;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one replica says of the transfer's replicated tables (the target, {@code _unparsed}, {@code _offsets}): which
 * replicas hold a ZooKeeper session for them, and whether it has every part the cluster committed. Read from
 * {@code system.replicas} and {@code system.zookeeper}; never {@code SYSTEM SYNC REPLICA}, which on 18.16 ignores
 * {@code receive_timeout} and can hang.
 */
final class ReplicaStatus {
    /** Counts as JSON numbers, not strings (18.16 quotes UInt64). */
    private static final Map<String, String> NUMBERS = Map.of("output_format_json_quote_64bit_integers", "0");

    private final SqlSession ch;
    private final String database;
    private final List<String> tables;

    ReplicaStatus(SqlSession ch, String database, String table) {
        this.ch = ch;
        this.database = database;
        this.tables = List.of(table, table + "_unparsed", table + "_offsets");
    }

    /** The name this server replicates under: its {@code replica} macro, which the tables' engine names it by. */
    String name() {
        return ch.queryText("SELECT substitution FROM system.macros WHERE macro = 'replica'").strip();
    }

    private List<JsonNode> replicas() {
        return ch.query("SELECT table, zookeeper_path, is_readonly, is_session_expired, queue_size, log_pointer,"
                + " log_max_index FROM system.replicas WHERE database = " + ClickHouse.quote(database) + " AND table IN ("
                + String.join(", ", tables.stream().map(ClickHouse::quote).toList()) + ")", NUMBERS);
    }

    /** The replicas, by name, whose {@code is_active} node (their ZooKeeper session) exists for any of the tables. */
    Set<String> withSession() {
        Set<String> active = new TreeSet<>();
        for (JsonNode t : replicas()) {
            String path = t.get("zookeeper_path").asText() + "/replicas";
            for (JsonNode r : ch.query("SELECT name FROM system.zookeeper WHERE path = " + ClickHouse.quote(path))) {
                String name = r.get("name").asText();
                if (ch.queryLong("SELECT count() FROM system.zookeeper WHERE path = " + ClickHouse.quote(path + "/" + name)
                        + " AND name = 'is_active'") > 0) {
                    active.add(name);
                }
            }
        }
        return active;
    }

    /**
     * Why this replica lacks parts the cluster committed, or empty when it has them all: for each table it is in
     * ZooKeeper's session, its replication queue holds no part to fetch (merges may wait there) and it has copied the whole
     * replication log into its queue ({@code log_pointer} past {@code log_max_index}). An empty log reads as
     * {@code log_max_index = 0, log_pointer = 0}, as does a log whose only entry, 0, is not copied yet: ZooKeeper
     * tells them apart.
     */
    Optional<String> behind() {
        List<String> lacking = new ArrayList<>();
        // a table missing here is not created yet (a first start creates them after this check, ON CLUSTER)
        for (JsonNode t : replicas()) {
            String table = t.get("table").asText();
            long queue = t.get("queue_size").asLong();
            long pointer = t.get("log_pointer").asLong();
            long max = t.get("log_max_index").asLong();
            long incoming = queue > 0 ? incoming(table) : 0;
            if (t.get("is_readonly").asInt() != 0 || t.get("is_session_expired").asInt() != 0) {
                lacking.add(table + " has no ZooKeeper session here");
            } else if (incoming > 0) {
                lacking.add(table + " has " + incoming + " parts to fetch in its replication queue");
            } else if (pointer <= max && !(pointer == 0 && max == 0 && emptyLog(t.get("zookeeper_path").asText()))) {
                lacking.add(table + " has copied the replication log up to " + pointer + " of " + max);
            }
        }
        return lacking.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", lacking));
    }

    /**
     * Entries of the table's replication queue that bring in or remove rows (a part to fetch, a range to drop or
     * replace); merges and mutations rewrite parts the replica already has, and a busy table always has some.
     */
    private long incoming(String table) {
        return ch.queryLong("SELECT count() FROM system.replication_queue WHERE database = " + ClickHouse.quote(database)
                + " AND table = " + ClickHouse.quote(table) + " AND type NOT IN ('MERGE_PARTS', 'MUTATE_PART')");
    }

    private boolean emptyLog(String zookeeperPath) {
        return ch.queryLong("SELECT count() FROM system.zookeeper WHERE path = " + ClickHouse.quote(zookeeperPath + "/log"))
                == 0;
    }
}
