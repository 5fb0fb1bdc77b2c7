package dev.clickstream.producer;

import dev.clickstream.common.cli.DurationConverter;
import dev.clickstream.common.cli.GracefulShutdown;
import dev.clickstream.common.cli.KafkaOptions;
import dev.clickstream.common.cli.RecordOutput;
import dev.clickstream.common.cli.StateOptions;
import dev.clickstream.common.cli.TopicOptions;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.producer.encode.MessageBuilder;
import dev.clickstream.producer.encode.Packing;
import dev.clickstream.producer.generate.EventGenerator;
import dev.clickstream.producer.send.KafkaSink;
import dev.clickstream.producer.send.MessageSink;
import dev.clickstream.producer.send.Pacer;
import dev.clickstream.producer.send.ProduceLoop;
import dev.clickstream.producer.send.Progress;
import dev.clickstream.producer.send.StdoutSink;
import dev.clickstream.producer.send.Summary;
import dev.clickstream.producer.send.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** Writes realistic click events to a Kafka topic, with the original demo's flags and output. */
@Command(name = "producer", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Write realistic click events to a Kafka topic.",
        description = {
            "Generates shop traffic (users in sessions moving through a funnel: page views, clicks, searches, "
                    + "add-to-carts, checkouts, purchases) as JSON events and writes them to a topic, creating it "
                    + "when missing. Without -broker it uses the connection profile of `clickstream up`.",
            "Prints `topic: NAME exist|created`, then `message: N written` per acknowledged message (or, when "
                    + "that would slow it down, progress on stderr), and a summary on stderr. Only messages "
                    + "Kafka acknowledged are counted; Ctrl-C stops after flushing what was sent."},
        footer = {"", "Examples:",
            "  producer --message-count 10",
            "  producer -broker=HOST:9091 -user=admin -password=SECRET --message-count=10 -topic=clickhouse-events",
            "  producer --rate 1000 --pack random --seed 42",
            "  producer --stdout --message-count 3 --seed 1      # look at the events, no Kafka"})
public final class ProducerCommand implements Callable<Integer> {
    /** Where event time starts with --seed and no --start-time, so a seed alone repeats the output exactly. */
    static final Instant SEEDED_START = Instant.parse("2025-01-01T00:00:00Z");

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    StateOptions state;

    @Mixin
    TopicOptions topic;

    @Option(names = {"-message-count", "--message-count"}, paramLabel = "N", defaultValue = "0",
            description = "Messages to write; 0 writes until interrupted (default: ${DEFAULT-VALUE}).")
    long messageCount;

    @Option(names = "--rate", paramLabel = "EVENTS/S", defaultValue = "0",
            description = "Events per second; 0 is as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--sessions", paramLabel = "N", defaultValue = "0",
            description = "Concurrent sessions (default: events/s times a 20 s think time, at most 100000); a few "
                    + "hundred let a short run show whole funnels.")
    int sessions;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the generator: the same seed gives the same messages, byte for byte "
                    + "(default: random, printed in the summary).")
    Long seed;

    @Option(names = "--start-time", paramLabel = "TIME",
            description = "user_ts of the first events, RFC 3339 or 'now' (default: now; with --seed "
                    + "2025-01-01T00:00:00Z). Event time then advances at the --rate (1000 events/s without one); "
                    + "a paced stream from now is stamped with the clock instead, so user_ts never runs ahead of it.")
    String startTime;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "3",
            description = "Partitions when the topic has to be created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--pack", paramLabel = "N|random", defaultValue = "1", converter = PackingConverter.class,
            description = "JSON lines per Kafka message, newline-separated; 'random' is the demo's 0-99 lines, "
                    + "empty messages included (default: ${DEFAULT-VALUE}).")
    Packing packing;

    @Option(names = "--malformed-ratio", paramLabel = "R", defaultValue = "0",
            description = "Share of lines (0-1) replaced by broken ones, for delivery tests: truncated JSON, "
                    + "plain text, or \"id\":\"not-a-number\" (default: ${DEFAULT-VALUE}).")
    double malformedRatio;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, messages (a line per message), interval (a line every 5 s), bar, or none "
                    + "(default: ${DEFAULT-VALUE}: messages when at most 1000 messages or 1000 a second).")
    Progress.Mode progress;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "20s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka to answer at start-up (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = {"-X", "--producer-property"}, paramLabel = "KEY=VALUE",
            description = "Kafka producer setting, e.g. -X linger.ms=20 (defaults: acks=all, enable.idempotence=true,"
                    + " linger.ms=5, batch.size=262144, compression.type=lz4).")
    Map<String, String> producerProperties = new LinkedHashMap<>();

    @Option(names = "--stdout", description = "Print the messages on stdout instead of sending them (no Kafka needed).")
    boolean toStdout;

    @Override
    public Integer call() {
        validate();
        long seedValue = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        EventGenerator.Settings settings = EventGenerator.Settings.of(seedValue, startMicros())
                .withEventsPerSecond(rate > 0 ? rate : EventGenerator.Settings.DEFAULT_EVENTS_PER_SECOND)
                .withSessions(sessions)
                .withWallClock(rate > 0 && (startTime == null ? seed == null : startTime.equalsIgnoreCase("now")));
        MessageBuilder messages = new MessageBuilder(new EventGenerator(settings), packing, malformedRatio, seedValue);
        PrintWriter out = spec.commandLine().getOut();
        if (toStdout) {
            return produce(messages, new StdoutSink(RecordOutput.of(out)), Progress.Mode.NONE, "printed", seedValue,
                    null);
        }
        KafkaEndpoint endpoint = kafka.resolve(state);
        String name = topic.resolve(kafka, state);
        prepareTopic(endpoint, name, out);
        Progress.Mode mode = Progress.resolve(progress, messageCount, rate / packing.averageLines(),
                System.console() != null);
        return produce(messages, new KafkaSink(endpoint, name, producerProperties), mode,
                "acknowledged (topic " + name + ")", seedValue, endpoint);
    }

    /** Runs the loop until done or interrupted, then prints the summary; fails when Kafka refused messages. */
    private int produce(MessageBuilder messages, MessageSink sink, Progress.Mode mode, String what, long seedValue,
                        KafkaEndpoint endpoint) {
        Progress report = new Progress(mode, spec.commandLine().getOut(), spec.commandLine().getErr(), messageCount,
                sink::totals);
        if (sink instanceof KafkaSink kafkaSink) {
            kafkaSink.onAcknowledged(report::acknowledged);
        }
        ProduceLoop loop = new ProduceLoop(messages, sink, messageCount, new Pacer(rate), report);
        // Released only when the producer is closed and the summary out; a flush may wait for Kafka's retries.
        GracefulShutdown shutdown = GracefulShutdown.install("clickstream-producer", loop::stop,
                Duration.ofSeconds(150));
        try {
            double seconds;
            try {
                seconds = loop.run();
            } finally {
                sink.close();
            }
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println(new Summary(sink.totals(), seconds, what, seedValue).line());
            Exception failure = sink.failure();
            if (failure != null) {
                long failed = sink.totals().failedMessages();
                throw new UserFacingException((failed > 0 ? failed + " messages were not acknowledged: " : "")
                        + KafkaPreflight.explain(failure, endpoint, connectTimeout).getMessage(), failure);
            }
            return 0;
        } finally {
            shutdown.close();
        }
    }

    private void prepareTopic(KafkaEndpoint endpoint, String name, PrintWriter out) {
        try (Admin admin = KafkaPreflight.admin(endpoint, connectTimeout)) {
            KafkaPreflight.check(admin, endpoint, connectTimeout);
            TopicSetup.Outcome outcome = TopicSetup.ensure(admin, endpoint, name, partitions, connectTimeout);
            out.println("topic: " + name + (outcome == TopicSetup.Outcome.EXISTS ? " exist" : " created"));
            out.flush();
        }
    }

    private void validate() {
        if (messageCount < 0) {
            throw usage("--message-count must be 0 (until interrupted) or more, not " + messageCount);
        }
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw usage("--rate must be 0 (as fast as possible) or a positive number of events per second");
        }
        if (partitions < 1) {
            throw usage("--partitions must be at least 1");
        }
        if (sessions < 0 || sessions > EventGenerator.MAX_SESSIONS) {
            throw usage("--sessions must be between 0 (derived from the rate) and " + EventGenerator.MAX_SESSIONS);
        }
        if (!(malformedRatio >= 0 && malformedRatio <= 1)) {
            throw usage("--malformed-ratio must be between 0 and 1, not " + malformedRatio);
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw usage("--connect-timeout must be positive");
        }
    }

    private long startMicros() {
        Instant start;
        if (startTime == null) {
            start = seed != null ? SEEDED_START : Instant.now();
        } else if (startTime.equalsIgnoreCase("now")) {
            start = Instant.now();
        } else {
            try {
                start = OffsetDateTime.parse(startTime).toInstant();
            } catch (DateTimeParseException e) {
                throw usage("--start-time: '" + startTime + "' is not an RFC 3339 time like 2025-01-01T00:00:00Z");
            }
        }
        return start.getEpochSecond() * 1_000_000L + start.getNano() / 1_000;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static final class PackingConverter implements CommandLine.ITypeConverter<Packing> {
        @Override
        public Packing convert(String value) {
            try {
                return Packing.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
