package dev.clickstream.transfer.it;

import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.transfer.TransferService;
import dev.clickstream.transfer.config.ConfigLoader;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.testsupport.TestStack;

import java.nio.file.Path;
import java.time.Duration;

/** A transfer in a thread of the test JVM, for tests that need no process to kill. */
final class InProcessTransfer implements AutoCloseable {
    private final TransferService service;
    private final Thread thread;

    private InProcessTransfer(TransferService service) {
        this.service = service;
        this.thread = new Thread(service::run, "transfer-under-test");
        thread.start();
    }

    static InProcessTransfer start(TestStack stack, Path configFile, String instance) {
        TransferConfig config = ConfigLoader.load(configFile);
        String database = config.target().databaseOrDefault();
        TransferService service = TransferService.open(config, KafkaEndpoint.of(stack.profile().kafkaConnection()),
                ClickHouseEndpoint.of(stack.profile().clickhouseConnection()).withDatabase(database),
                new TransferService.Options(instance, 0, Duration.ofSeconds(10)));
        return new InProcessTransfer(service);
    }

    int httpPort() {
        return service.httpPort();
    }

    @Override
    public void close() throws InterruptedException {
        service.stop();
        if (!service.awaitStopped(Duration.ofSeconds(30))) {
            throw new AssertionError("the transfer did not stop within 30 s");
        }
        thread.join(5000);
        service.close();
    }
}
