package dev.clickstream.consumer;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@WithLocalStack
class ConsumerIT {
    @TempDir
    Path scratch;


    private static CommandRun consume(String... args) {
        return CommandRun.of(new ConsumerCommand(), args);
    }

    private static List<String> events(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"id\":" + i + ",\"event_type\":\"page_view\"}").toList();
    }

    private static String group() {
        return "it-" + System.nanoTime();
    }

    @Test
    @Timeout(120)
    void should_read_with_the_demos_flags_over_sasl_ssl(TestStack stack) {
        String topic = stack.newTopic("demo-flags", 1);
        TopicWriter.write(stack.kafka(), topic, 0, events(0, 20));
        KafkaEndpoint tls = stack.kafka("SASL_SSL");
        CommandRun run = consume("-broker=" + tls.bootstrapServers(), "-user=" + tls.user(),
                "-password=" + tls.password(), "--ca-file=" + tls.caFile(), "-topic=" + topic,
                "-group-id=" + group(), "--max-messages=20");
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(events(0, 20), run.outLines());
        assertTrue(run.err().startsWith("summary: 20 messages, 20 lines"), run::toString);
    }

    @Test
    void a_group_should_continue_after_what_it_printed_and_a_new_one_start_at_the_beginning(TestStack stack) {
        String topic = stack.newTopic("resume", 1);
        TopicWriter.write(stack.kafka(), topic, 0, events(0, 10));
        String group = group();
        CommandRun first = consume(stack.withProfile("-topic", topic, "-group-id", group, "--max-messages", "3"));
        assertEquals(events(0, 3), first.outLines(), first::toString);
        CommandRun rest = consume(stack.withProfile("-topic", topic, "-group-id", group, "--timeout", "2s"));
        assertEquals(0, rest.exitCode(), rest::toString);
        assertEquals(events(3, 10), rest.outLines(), rest::toString);
        assertTrue(rest.err().contains("no message for 2 s"), rest::toString);

        CommandRun again = consume(stack.withProfile("-topic", topic, "-group-id", group, "--timeout", "1s",
                "--from-beginning"));
        assertEquals(events(0, 10), again.outLines(), again::toString);
        CommandRun fresh = consume(stack.withProfile("-topic", topic, "-group-id", group(), "--max-messages", "10"));
        assertEquals(events(0, 10), fresh.outLines(), fresh::toString);
    }

    @Test
    void packed_messages_should_print_one_event_per_line(TestStack stack) {
        String topic = stack.newTopic("packed", 1);
        List<String> e = events(0, 5);
        TopicWriter.write(stack.kafka(), topic, 0,
                List.of(e.get(0) + "\n" + e.get(1) + "\n" + e.get(2), "", e.get(3) + "\n", e.get(4)));
        CommandRun json = consume(stack.withProfile("-topic", topic, "-group-id", group(), "--max-messages", "4"));
        assertEquals(e, json.outLines(), json::toString);
        assertTrue(json.err().startsWith("summary: 4 messages, 5 lines"), json::toString);

        CommandRun raw = consume(stack.withProfile("-topic", topic, "-group-id", group(), "--max-messages", "4",
                "--format", "raw"));
        assertEquals(List.of(e.get(0), e.get(1), e.get(2), "", e.get(3), "", e.get(4)), raw.outLines(), raw::toString);

        CommandRun meta = consume(stack.withProfile("-topic", topic, "-group-id", group(), "--max-messages", "1",
                "--print-metadata"));
        assertTrue(meta.outLines().get(0).matches("partition=0 offset=0 timestamp=\\S+Z\t\\{\"id\":0,.*"), meta::toString);
        assertEquals(3, meta.outLines().size());
    }

    @Test
    void a_missing_topic_should_be_one_clear_line_and_exit_1(TestStack stack) {
        CommandRun run = consume(stack.withProfile("-topic", "no-such-topic", "--timeout", "1s"));
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals("error: topic no-such-topic does not exist at " + stack.kafka().bootstrapServers()
                + ": check -topic, or write to it first (the producer creates it)", run.err().strip());
    }

    @Test
    @Timeout(60)
    void a_wrong_password_should_fail_with_one_clear_line(TestStack stack) {
        KafkaEndpoint kafka = stack.kafka();
        CommandRun run = consume("-broker", kafka.bootstrapServers(), "-user", kafka.user(), "-password", "wrong",
                "--security-protocol", "SASL_PLAINTEXT", "-topic", "clickhouse-events");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: ") && run.err().contains("refused the credentials"), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    @Test
    @Timeout(60)
    void an_unreachable_broker_should_fail_within_the_connect_timeout() {
        CommandRun run = consume("-broker", "127.0.0.1:" + Ports.freePort(), "--connect-timeout", "2s");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("error: cannot reach Kafka at 127.0.0.1:"), run::toString);
    }

    @Test
    @Timeout(120)
    void stopping_the_process_should_commit_what_was_printed(TestStack stack) throws Exception {
        String topic = stack.newTopic("interrupted", 1);
        TopicWriter.write(stack.kafka(), topic, 0, events(0, 100));
        String group = group();
        Path out = scratch.resolve("consumer-out.txt");
        Path err = scratch.resolve("consumer-err.txt");
        Path jar = Path.of("target", "consumer.jar").toAbsolutePath();
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "--state-dir", stack.stateDir().toString(),
                "-topic", topic, "-group-id", group)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(Deadline.in(Duration.ofSeconds(60)).until(Duration.ofMillis(100),
                    () -> lines(out) == 100), "the consumer did not print the topic");
            p.destroy(); // SIGTERM runs the shutdown hook as Ctrl-C does
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Files.readString(err).contains("summary: 100 messages, 100 lines"), Files.readString(err));
        CommandRun next = consume(stack.withProfile("-topic", topic, "-group-id", group, "--timeout", "2s"));
        assertEquals("", next.out(), next::toString);
    }

    @Test
    void bad_flags_and_values_should_exit_2_with_usage() {
        for (String[] args : List.of(new String[] {"--no-such-flag"}, new String[] {"--format", "xml"},
                new String[] {"--max-messages", "-1"}, new String[] {"--timeout", "soon"})) {
            CommandRun run = consume(args);
            assertEquals(2, run.exitCode(), () -> String.join(" ", args) + "\n" + run);
            assertTrue(run.err().contains("Usage: consumer"), run::toString);
        }
    }

    private static long lines(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).lines().count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
