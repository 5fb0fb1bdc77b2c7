package dev.clickstream.provisioner.dashboard;

import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.transfer.TransferService;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.testsupport.TestStack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real transfer, with the shipped transfer.yaml's schema, delivering a test topic in a thread of the test JVM. */
final class TransferInThread implements AutoCloseable {
    private final TransferService service;
    private final Thread thread;

    private TransferInThread(TransferService service) {
        this.service = service;
        this.thread = new Thread(service::run, "transfer-for-dashboard");
        thread.start();
    }

    static TransferInThread start(TestStack stack, Path dir, String topic, String database) {
        try {
            String sample = Files.readString(Path.of("../transfer/transfer.yaml"));
            String schema = sample.substring(sample.indexOf("  parser:"), sample.indexOf("\ntarget:"));
            Path config = dir.resolve("transfer-" + topic + ".yaml");
            Files.writeString(config, "source:\n  topic_name: " + topic + "\n  group: dashboard-" + database + "\n"
                    + schema + "\ntarget:\n  database: " + database + "\nhttp:\n  port: 0\n");
            TransferConfig cfg = ConfigLoader.load(config);
            return new TransferInThread(TransferService.open(cfg, KafkaEndpoint.of(stack.profile().kafkaConnection()),
                    ClickHouseEndpoint.of(stack.profile().clickhouseConnection()).withDatabase(database),
                    new TransferService.Options("dashboard-it", 0, Duration.ofSeconds(10))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + service.httpPort();
    }

    @Override
    public void close() throws InterruptedException {
        service.stop();
        service.awaitStopped(Duration.ofSeconds(30));
        thread.join(5000);
        service.close();
    }
}
