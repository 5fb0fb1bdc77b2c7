package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.provisioner.sql.KafkaEngineSql;
import dev.clickstream.provisioner.sql.SqlApplier;
import dev.clickstream.provisioner.sql.SqlApplyCommand;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * What {@code up --cloud} does once the clusters answer, the profile is written and the topic exists:
 * apply the Kafka-engine SQL over HTTPS (the profile's https_port and ca_file).
 */
@FunctionalInterface
public interface AfterProvision {

    /**
     * @param existingQueue the Kafka engine table a managed integration created (Aiven), if any: the SQL then
     *                      reads it instead of creating its own queue table
     */
    void apply(ConnectionProfile profile, Optional<String> existingQueue, PrintWriter out);

    /** The Kafka-engine SQL of {@code clickstream sql apply}, with its default names. */
    AfterProvision DEFAULT = (profile, existingQueue, out) -> {
        out.println();
        out.println("Applying sql/" + KafkaEngineSql.TEMPLATE + " to ClickHouse");
        out.flush();
        new SqlApplier(out, out).apply(ClickHouseEndpoint.of(profile.clickhouseConnection()),
                SqlApplier.defaultsFor(profile, existingQueue.orElse(null)), "sql/" + KafkaEngineSql.TEMPLATE,
                SqlApplyCommand.readTemplate(null), null, false, false);
    };
}
