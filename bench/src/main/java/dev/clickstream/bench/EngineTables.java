package dev.clickstream.bench;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.provisioner.sql.KafkaEngineSql;
import dev.clickstream.provisioner.sql.SqlApplier;
import dev.clickstream.provisioner.sql.SqlApplyCommand;

import java.io.PrintWriter;

/** The Kafka engine's tables of a bench contestant, made by the same SQL `sql apply` runs, and taken away again. */
final class EngineTables {
    private final PrintWriter quiet;
    private final PrintWriter log;

    EngineTables(PrintWriter quiet, PrintWriter log) {
        this.quiet = quiet;
        this.log = log;
    }

    void apply(ClickHouseEndpoint endpoint, ConnectionProfile profile, String db,
                             String topic, String group, int consumers, int maxBlockSize) {
        KafkaEngineSql sql = new KafkaEngineSql(db, "events", profile.kafkaConnection().connectionString(), topic, group,
                consumers, maxBlockSize, null, null);
        new SqlApplier(quiet, log).apply(endpoint, sql, "sql/" + KafkaEngineSql.TEMPLATE,
                SqlApplyCommand.readTemplate(null), null, true, false);
    }

    /** Takes the engine's queue away so it stops consuming while the next contestant runs. */
    static void stop(ClickHouse ch, String db) {
        ch.execute("DROP TABLE IF EXISTS " + db + ".events_mv");
        ch.execute("DROP TABLE IF EXISTS " + db + ".events_queue");
    }
}
