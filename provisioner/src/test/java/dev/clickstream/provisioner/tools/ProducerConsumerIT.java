package dev.clickstream.provisioner.tools;

import dev.clickstream.common.event.ClickEvent;
import dev.clickstream.common.event.ClickEventJson;
import dev.clickstream.provisioner.CliRun;
import dev.clickstream.testsupport.TestStack;
import dev.clickstream.testsupport.WithLocalStack;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The producer and the consumer through the launcher, end to end on the local stack. */
@WithLocalStack
class ProducerConsumerIT {
    private static final Pattern PRODUCED = Pattern.compile("summary: (\\d+) messages, (\\d+) events, ");

    private static CliRun run(TestStack stack, String... args) {
        String[] withProfile = new String[args.length + 2];
        System.arraycopy(args, 0, withProfile, 0, args.length);
        withProfile[args.length] = "--state-dir";
        withProfile[args.length + 1] = stack.stateDir().toString();
        CliRun run = CliRun.of(withProfile);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    private static long events(CliRun producer) {
        Matcher m = PRODUCED.matcher(producer.err());
        assertTrue(m.find(), producer::toString);
        return Long.parseLong(m.group(2));
    }

    private static List<String> sorted(List<String> lines) {
        return lines.stream().filter(l -> !l.isEmpty()).sorted().toList();
    }

    private static List<String> lines(CliRun run) {
        return run.out().lines().toList();
    }

    @Test
    void every_event_produced_should_be_consumed_once_with_its_exact_id(TestStack stack) {
        String topic = stack.newTopic("e2e", 3);
        CliRun producer = run(stack, "producer", "--topic", topic, "--message-count", "5000", "--seed", "3");
        assertEquals(5000, events(producer));
        CliRun consumer = run(stack, "consumer", "--topic", topic, "--group-id", "e2e", "--max-messages", "5000");

        List<String> expected = lines(run(stack, "producer", "--stdout", "--message-count", "5000", "--seed", "3"));
        assertEquals(sorted(expected), sorted(lines(consumer)));
        List<Long> ids = lines(consumer).stream().map(ClickEventJson::parse).map(ClickEvent::id).distinct().toList();
        assertEquals(5000, ids.size());
        assertTrue(ids.stream().anyMatch(id -> id < 0), "no id above 2^63 came through");
    }

    @Test
    void packed_messages_should_come_out_one_event_per_line(TestStack stack) {
        String topic = stack.newTopic("e2e-packed", 3);
        CliRun producer = run(stack, "producer", "--topic", topic, "--message-count", "200", "--pack", "random",
                "--seed", "4");
        CliRun consumer = run(stack, "consumer", "--topic", topic, "--group-id", "e2e", "--max-messages", "200");
        assertEquals(events(producer), lines(consumer).size());
        List<String> expected = lines(run(stack, "producer", "--stdout", "--message-count", "200", "--pack", "random",
                "--seed", "4"));
        assertEquals(sorted(expected), sorted(lines(consumer)));
        assertTrue(consumer.err().startsWith("summary: 200 messages, " + events(producer) + " lines"), consumer::toString);
    }

    @Test
    void both_should_work_over_sasl_ssl_with_the_stacks_ca(TestStack stack) {
        String topic = stack.newTopic("e2e-tls", 3);
        CliRun producer = run(stack, "producer", "--security-protocol", "SASL_SSL", "--topic", topic,
                "--message-count", "100", "--seed", "5");
        assertTrue(producer.out().startsWith("topic: " + topic + " exist\nmessage: 1 written\n"), producer::toString);
        CliRun consumer = run(stack, "consumer", "--security-protocol", "SASL_SSL", "--topic", topic,
                "--max-messages", "100");
        List<String> expected = lines(run(stack, "producer", "--stdout", "--message-count", "100", "--seed", "5"));
        assertEquals(sorted(expected), sorted(lines(consumer)));
    }

    @Test
    void help_should_list_the_producer_and_the_consumer() {
        CliRun run = CliRun.of("--help");
        assertTrue(run.out().matches("(?s).*\\n  producer +Write realistic click events.*"), run::toString);
        assertTrue(run.out().matches("(?s).*\\n  consumer +Print the events of a Kafka topic.*"), run::toString);
    }
}
