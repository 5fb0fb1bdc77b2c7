package dev.clickstream.producer;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.testsupport.CommandRun;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@WithLocalStack
class ProducerIT {
    @TempDir
    Path scratch;

    private static final Pattern SUMMARY = Pattern.compile(
            "summary: (\\d+) messages, (\\d+) events, (\\d+) malformed lines, .* acknowledged .*");

    private static CommandRun produce(String... args) {
        return CommandRun.of(new ProducerCommand(), args);
    }

    private static Matcher summary(CommandRun run) {
        Matcher m = SUMMARY.matcher(run.err());
        assertTrue(m.find(), run::toString);
        return m;
    }

    private static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }

    @Test
    @Timeout(120)
    void should_accept_the_demos_flags_over_sasl_ssl_and_print_the_demos_output(TestStack stack) {
        KafkaEndpoint tls = stack.kafka("SASL_SSL");
        String topic = "demo-flags-" + ProcessHandle.current().pid();
        // The original demo's spelling: single-dash flags with '=', SASL_SSL implied by -user.
        CommandRun first = produce("-broker=" + tls.bootstrapServers(), "-user=" + tls.user(),
                "-password=" + tls.password(), "--ca-file=" + tls.caFile(), "--message-count=10", "-topic=" + topic);
        assertEquals(0, first.exitCode(), first::toString);
        List<String> expected = new ArrayList<>(List.of("topic: " + topic + " created"));
        IntStream.rangeClosed(1, 10).forEach(i -> expected.add("message: " + i + " written"));
        assertEquals(expected, first.outLines());
        assertEquals("10", summary(first).group(1));

        CommandRun second = produce("--broker", tls.bootstrapServers(), "--user", tls.user(), "--password",
                tls.password(), "--ca-file", tls.caFile(), "--message-count", "3", "--topic", topic);
        assertEquals(0, second.exitCode(), second::toString);
        assertEquals("topic: " + topic + " exist", second.outLines().get(0));
        assertEquals(13, TopicContents.messageCount(tls, topic));
    }

    @Test
    void the_same_seed_should_write_the_same_events_with_exact_ids(TestStack stack) {
        String topic = stack.newTopic("seeded", 3);
        CommandRun run = produce(stack.withProfile("--topic", topic, "--message-count", "2000", "--seed", "42"));
        assertEquals(0, run.exitCode(), run::toString);
        CommandRun again = produce(stack.withProfile("--topic", topic, "--message-count", "2000", "--seed", "42"));
        assertEquals(0, again.exitCode(), again::toString);

        List<String> written = TopicContents.values(stack.kafka(), topic, 4000);
        List<String> expected = produce("--stdout", "--message-count", "2000", "--seed", "42").outLines();
        List<String> twice = new ArrayList<>(expected);
        twice.addAll(expected);
        assertEquals(sorted(twice), sorted(written));
        // ids survive as unsigned 64-bit numbers, some above 2^63
        List<ClickEvent> events = written.stream().map(ClickEventJson::parse).toList();
        assertTrue(events.stream().anyMatch(e -> e.id() < 0), "no id above 2^63");
        assertTrue(written.stream().allMatch(v -> v.contains("\"id\":" + Long.toUnsignedString(ClickEventJson.parse(v).id()) + ",")));
    }

    @Test
    void packed_messages_should_hold_the_counted_lines_and_random_packing_empty_messages_too(TestStack stack) {
        String fixed = stack.newTopic("pack5", 3);
        CommandRun five = produce(stack.withProfile("--topic", fixed, "--message-count", "300", "--pack", "5"));
        assertEquals(0, five.exitCode(), five::toString);
        assertEquals("1500", summary(five).group(2));
        List<String> values = TopicContents.values(stack.kafka(), fixed, 300);
        assertEquals(300, values.size());
        assertTrue(values.stream().allMatch(v -> v.split("\n", -1).length == 5));
        assertEquals(1500, TopicContents.lines(values).stream().map(ClickEventJson::parse).count());

        String random = stack.newTopic("packrandom", 3);
        CommandRun demo = produce(stack.withProfile("--topic", random, "--message-count", "400", "--pack", "random",
                "--seed", "5"));
        assertEquals(0, demo.exitCode(), demo::toString);
        List<String> demoValues = TopicContents.values(stack.kafka(), random, 400);
        assertEquals(400, demoValues.size());
        assertTrue(demoValues.stream().anyMatch(String::isEmpty), "no empty message among 400");
        assertEquals(Long.parseLong(summary(demo).group(2)), TopicContents.lines(demoValues).size());
    }

    @Test
    void the_malformed_ratio_should_break_the_same_lines_for_the_same_seed(TestStack stack) {
        String topic = stack.newTopic("malformed", 3);
        String[] args = stack.withProfile("--topic", topic, "--message-count", "3000", "--seed", "7",
                "--malformed-ratio", "0.1");
        CommandRun run = produce(args);
        assertEquals(0, run.exitCode(), run::toString);
        long malformed = Long.parseLong(summary(run).group(3));
        assertEquals(300, malformed, 60);

        List<String> values = TopicContents.values(stack.kafka(), topic, 3000);
        long broken = values.stream().filter(v -> !parses(v)).count();
        assertEquals(malformed, broken);
        List<String> again = produce("--stdout", "--message-count", "3000", "--seed", "7", "--malformed-ratio", "0.1")
                .outLines();
        assertEquals(sorted(values), sorted(again));
    }

    @Test
    void without_flags_it_should_use_the_profile_and_another_listener_when_asked(TestStack stack) {
        String topic = stack.newTopic("profile", 3);
        CommandRun plain = produce(stack.withProfile("--topic", topic, "--message-count", "5"));
        assertEquals(0, plain.exitCode(), plain::toString);
        CommandRun tls = produce(stack.withProfile("--topic", topic, "--message-count", "5", "--security-protocol",
                "SASL_SSL"));
        assertEquals(0, tls.exitCode(), tls::toString);
        assertEquals(10, TopicContents.messageCount(stack.kafka(), topic));
    }

    @Test
    @Timeout(60)
    void a_wrong_password_should_fail_with_one_clear_line(TestStack stack) {
        KafkaEndpoint kafka = stack.kafka();
        CommandRun run = produce("-broker", kafka.bootstrapServers(), "-user", kafka.user(), "-password", "wrong",
                "--security-protocol", "SASL_PLAINTEXT", "--message-count", "1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: ") && run.err().contains("refused the credentials of user 'admin'"),
                run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(!run.err().contains("wrong"), "the password leaked: " + run);
    }

    @Test
    @Timeout(60)
    void an_unreachable_broker_should_fail_within_the_connect_timeout() {
        CommandRun run = produce("-broker", "127.0.0.1:" + Ports.freePort(), "--connect-timeout", "2s",
                "--message-count", "1");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: cannot reach Kafka at 127.0.0.1:"), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    @Test
    @Timeout(120)
    void stopping_the_process_should_flush_and_count_only_what_kafka_has(TestStack stack) throws Exception {
        String topic = stack.newTopic("interrupted", 3);
        Path jar = Path.of("target", "producer.jar").toAbsolutePath();
        Path err = scratch.resolve("producer-err.txt");
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "--state-dir", stack.stateDir().toString(),
                "--topic", topic, "--rate", "20000", "--progress", "interval")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        try {
            boolean running = Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                    () -> TopicContents.messageCount(stack.kafka(), topic) > 1000);
            assertTrue(running, "the producer did not get going");
            p.destroy(); // SIGTERM: the shutdown hook stops, flushes and sums up, as on Ctrl-C
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Matcher m = SUMMARY.matcher(stderr);
        assertTrue(m.find(), stderr);
        assertEquals(Long.parseLong(m.group(1)), TopicContents.messageCount(stack.kafka(), topic), stderr);
    }

    private static boolean parses(String line) {
        try {
            return Objects.nonNull(ClickEventJson.parse(line));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
