package dev.clickstream.consumer;

import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.GracefulShutdown;
import dev.clickstream.common.cli.KafkaOptions;
import dev.clickstream.common.cli.RecordOutput;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.cli.TopicOptions;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.consumer.output.Format;
import dev.clickstream.consumer.output.RecordPrinter;
import dev.clickstream.consumer.read.ConsumeLoop;
import dev.clickstream.consumer.read.Offsets;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

/** Reads a topic and prints one event per line, with the original demo's flags. */
@Command(name = "consumer", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Print the events of a Kafka topic, one per line.",
        description = {
            "Reads a topic in a consumer group and prints every event on stdout, one JSON object per line; a "
                    + "message holding several JSON lines prints each. A new group starts at the beginning of the "
                    + "topic; a known group continues after what it printed last. Without -broker it uses the "
                    + "connection profile of `clickstream up`. A summary goes to stderr at the end."},
        footer = {"", "Examples:",
            "  consumer --max-messages 10",
            "  consumer -broker=HOST:9091 -user=admin -password=SECRET -topic=clickhouse-events",
            "  consumer --format pretty --print-metadata --timeout 5s"})
public final class ConsumerCommand implements Callable<Integer> {
    public static final String DEFAULT_GROUP = "cli";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    StateOptions state;

    @Mixin
    TopicOptions topic;

    @Option(names = {"-group-id", "--group-id", "--group"}, paramLabel = "GROUP", defaultValue = DEFAULT_GROUP,
            description = "Consumer group; its committed offsets say where to continue (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--max-messages", paramLabel = "N", defaultValue = "0",
            description = "Stop after N messages; 0 is no limit (default: ${DEFAULT-VALUE}).")
    long maxMessages;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without a message, e.g. 5s (default: wait forever).")
    Duration timeout;

    @Option(names = "--timeout-ms", paramLabel = "MS", hidden = true,
            description = "Kafka console consumer's spelling of --timeout, in milliseconds.")
    Long timeoutMs;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (each JSON line as written), raw (message values as they are), pretty "
                    + "(indented) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--print-metadata",
            description = "Start each line with partition=P offset=O timestamp=T and a tab.")
    boolean printMetadata;

    @Option(names = "--from-beginning",
            description = "Start at the beginning even if the group has read the topic before.")
    boolean fromBeginning;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "20s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka to answer at start-up (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = {"-X", "--consumer-property"}, paramLabel = "KEY=VALUE",
            description = "Kafka consumer setting, e.g. -X max.poll.records=500.")
    Map<String, String> consumerProperties = new LinkedHashMap<>();

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaEndpoint endpoint = kafka.resolve(state);
        String topicName = topic.resolve(kafka, state);

        RecordPrinter printer = new RecordPrinter(format, printMetadata, RecordOutput.of(out));
        Duration quiet = timeoutMs != null ? Duration.ofMillis(timeoutMs) : timeout;
        long started = System.nanoTime();
        KafkaConsumer<ByteBuffer, ByteBuffer> consumer = new KafkaConsumer<>(properties(endpoint),
                new ByteBufferDeserializer(), new ByteBufferDeserializer());
        ConsumeLoop loop = new ConsumeLoop(consumer, printer, maxMessages, quiet);
        GracefulShutdown shutdown = GracefulShutdown.install("clickstream-consumer", loop::stop,
                Duration.ofSeconds(30));
        try {
            ConsumeLoop.End end;
            double seconds;
            try {
                checkTopic(consumer, endpoint, topicName);
                end = loop.run(topicName, new Offsets(consumer, fromBeginning));
                seconds = Math.max((System.nanoTime() - started) / 1e9, 1e-9);
            } finally {
                // Leaving the group before the JVM may exit spares the next member the wait for this one to time out.
                consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            }
            err.println(String.format(Locale.ROOT,
                    "summary: %d messages, %d lines, %.1f MB from %s in %.2f s: %.0f messages/s, %.1f MB/s"
                            + " (group %s, %s)", loop.messages(), printer.lines(), loop.bytes() / 1048576.0,
                    topicName, seconds, loop.messages() / seconds, loop.bytes() / 1048576.0 / seconds, groupId,
                    describe(end, quiet)));
            err.flush();
            return 0;
        } finally {
            shutdown.close();
        }
    }

    private Properties properties(KafkaEndpoint endpoint) {
        Properties p = endpoint.clientProperties();
        p.put("group.id", groupId);
        p.put("client.id", "clickstream-consumer");
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        p.put("allow.auto.create.topics", "false");
        p.put("max.poll.records", "2000");
        // A fixed 64 KB socket buffer (the client default) holds back fetches even on loopback; let the OS size it.
        p.put("receive.buffer.bytes", "-1");
        p.putAll(consumerProperties);
        return p;
    }

    /**
     * The consumer's own first metadata request is the preflight: a wrong password, a bad CA, an unreachable
     * broker or a missing topic end here in one line, and start-up saves a separate admin connection.
     */
    private void checkTopic(KafkaConsumer<?, ?> consumer, KafkaEndpoint endpoint, String name) {
        List<PartitionInfo> partitions;
        try {
            partitions = consumer.partitionsFor(name, connectTimeout);
        } catch (WakeupException e) {
            throw new UserFacingException("interrupted while connecting to Kafka at " + endpoint.describe(), e);
        } catch (KafkaException e) {
            throw KafkaPreflight.explain(e, endpoint, connectTimeout);
        }
        if (partitions == null || partitions.isEmpty()) {
            throw new UserFacingException("topic " + name + " does not exist at " + endpoint.bootstrapServers()
                    + ": check -topic, or write to it first (the producer creates it)");
        }
    }

    private void validate() {
        if (maxMessages < 0) {
            throw usage("--max-messages must be 0 (no limit) or more, not " + maxMessages);
        }
        if ((timeout != null && (timeout.isNegative() || timeout.isZero())) || (timeoutMs != null && timeoutMs <= 0)) {
            throw usage("--timeout must be positive");
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw usage("--connect-timeout must be positive");
        }
    }

    private static String describe(ConsumeLoop.End end, Duration quiet) {
        return switch (end) {
            case MAX_MESSAGES -> "--max-messages reached";
            case TIMEOUT -> "no message for " + (quiet.toMillis() % 1000 == 0 ? quiet.toSeconds() + " s" : quiet.toMillis() + " ms");
            case INTERRUPTED -> "interrupted";
        };
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
