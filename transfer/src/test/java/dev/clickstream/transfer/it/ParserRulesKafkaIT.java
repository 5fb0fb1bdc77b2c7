package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.transfer.parse.ParserRules;
import dev.clickstream.transfer.parse.StoredRules;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static dev.clickstream.transfer.it.TransferFixtures.awaitDelivered;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rule tables end to end: every line of ParserRules as one Kafka message, delivered by the transfer as it runs
 * (its own config loading, DDL, fast path and batches) into 18.16, and read back row by row.
 */
@WithLocalStack
class ParserRulesKafkaIT {
    @TempDir
    Path dir;

    @Test
    void the_transfer_delivers_every_rule_row_as_the_tables_say(TestStack stack) throws Exception {
        String topic = stack.newTopic("rules", 1);
        String db = stack.newDatabase("rules_kafka");
        String table = topic.replace('-', '_');
        String yaml = "profile: " + stack.profileFile() + "\n"
                + ParserRules.CONFIG.replace("topic_name: rules", "topic_name: " + topic)
                + "target:\n  database: " + db + "\nbatch:\n  max_delay: 200ms\nhttp:\n  port: 0\n";
        Path config = dir.resolve("rules.yaml");
        Files.writeString(config, yaml);
        List<ParserRules.Case> cases = ParserRules.cases();
        Properties p = stack.kafka().clientProperties();
        p.put("acks", "all");
        p.put("max.in.flight.requests.per.connection", "1"); // a case's offset is its index
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (ParserRules.Case c : cases) {
                producer.send(new ProducerRecord<>(topic, c.bytes())).get(30, TimeUnit.SECONDS);
            }
        }
        try (InProcessTransfer transfer = InProcessTransfer.start(stack, config, "rules");
             ClickHouse ch = stack.connectClickHouse()) {
            assertEquals(cases.size(), awaitDelivered(ch, db, table, cases.size(), Duration.ofSeconds(60)));
            List<String> failed = StoredRules.mismatches(ch, db + "." + table);
            assertEquals(List.of(), failed, failed.size() + " differences");
        }
    }
}
