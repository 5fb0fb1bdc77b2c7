package dev.clickstream.bench;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.stack.kafka.KafkaBroker;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The freshness half of bench/delivery: one steady stream, read at once by two Kafka engine tables (block sizes
 * 65536 and 1000) and the transfer; each {@link Probe} times produce-to-visible for its table.
 */
final class FreshnessRun {
    private final EngineTables engines;
    private final PrintWriter log;
    private final int freshRate;
    private final int freshSeconds;

    FreshnessRun(EngineTables engines, PrintWriter log, int freshRate, int freshSeconds) {
        this.engines = engines;
        this.log = log;
        this.freshRate = freshRate;
        this.freshSeconds = freshSeconds;
    }

    void run(ConnectionProfile profile, ClickHouse ch, ClickHouseEndpoint endpoint, Transfers transfers,
             Report report) throws Exception {
        String topic = "bench-fresh";
        KafkaBroker.ensureTopic(DeliveryBench.plaintext(profile), topic, 3);
        engines.apply(endpoint, profile, "fresh_engine", topic, "fresh-engine", 1, 65536);
        engines.apply(endpoint, profile, "fresh_engine_small", topic, "fresh-engine-small", 1, 1000);
        List<Probe> probes = new ArrayList<>();
        try (Transfers.Running t = transfers.start(topic, "fresh_transfer", "RowBinary", "300ms", List.of())) {
            try (PacedStream stream = new PacedStream(DeliveryBench.plaintext(profile), topic)) {
                stream.warmUp();
                for (String table : List.of("fresh_engine.events", "fresh_engine_small.events",
                        "fresh_transfer.bench_fresh")) {
                    DeliveryBench.awaitCount(ch, table, 1, Duration.ofMinutes(2));
                }
                log.printf("Streaming %d events/s for %d s to %s%n", freshRate, freshSeconds, topic);
                int total = freshRate * freshSeconds;
                probes.add(new Probe("kafka engine, kafka_max_block_size=65536", ch.endpoint(), "fresh_engine.events",
                        stream, total));
                probes.add(new Probe("kafka engine, kafka_max_block_size=1000", ch.endpoint(),
                        "fresh_engine_small.events", stream, total));
                probes.add(new Probe("transfer, batch.max_delay=300ms", ch.endpoint(), "fresh_transfer.bench_fresh",
                        stream, total));
                probes.forEach(Probe::start);
                stream.run(freshRate, freshSeconds);
                for (Probe p : probes) {
                    p.await(Duration.ofMinutes(3));
                    report.freshness(p.name(), p.latenciesMillis(), total);
                }
            }
        } finally {
            probes.forEach(Probe::stop);
        }
    }
}
