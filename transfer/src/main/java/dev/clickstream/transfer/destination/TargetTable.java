package dev.clickstream.transfer.destination;

import dev.clickstream.transfer.config.Placement;

/**
 * Which table a transfer delivers into and for which topic: the identity the sink, the offset log, the cleanup
 * claim and every replica and shard share.
 *
 * @param topicId Kafka's id of the topic: a topic deleted and created again under the same name has another, and
 *                its offset log rows are told apart by it ("" where no topic was looked up)
 */
public record TargetTable(String database, String table, String topic, String topicId, Placement placement) {

    /** A table on the one server the transfer talks to. */
    public static TargetTable onOneServer(String database, String table, String topic, String topicId) {
        return new TargetTable(database, table, topic, topicId, Placement.SINGLE_SERVER);
    }

    /** database.table, as the log lines and errors name it. */
    public String describe() {
        return database + "." + table;
    }
}
