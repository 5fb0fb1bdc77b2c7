package dev.clickstream.testsupport;

import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ClickHouseConnection;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients that are not ours (Debian's kcat and clickhouse-client) work with the profile's credentials. */
@WithLocalStack
class ForeignClientsIT {

    record Result(int exitCode, String output) {
    }

    @Test
    void kcat_should_produce_and_consume_with_scram_and_be_refused_with_a_wrong_password(TestStack stack)
            throws Exception {
        KafkaEndpoint sasl = stack.kafka();
        String topic = stack.newTopic("kcat", 1);
        Result produced = run("hello from kcat\n", kcat(sasl, sasl.password(), "-t", topic, "-P"));
        assertEquals(0, produced.exitCode(), produced.output());
        Result consumed = run(null, kcat(sasl, sasl.password(), "-t", topic, "-C", "-o", "beginning", "-c", "1", "-e"));
        assertEquals(0, consumed.exitCode(), consumed.output());
        assertTrue(consumed.output().contains("hello from kcat"), consumed.output());

        Result refused = run(null, kcat(sasl, "wrong-password", "-L", "-m", "5"));
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("Authentication failed"), refused.output());
    }

    @Test
    void clickhouse_client_should_query_with_the_password_and_be_refused_without_it(TestStack stack) throws Exception {
        ClickHouseConnection c = stack.profile().clickhouseConnection();
        Result ok = run(null, List.of("clickhouse-client", "--host", c.host(), "--port", String.valueOf(c.tcpPort()),
                "--user", c.user(), "--password", c.password(), "--query", "SELECT 40 + 2"));
        assertEquals(0, ok.exitCode(), ok.output());
        assertEquals("42", ok.output().trim());

        Result refused = run(null, List.of("clickhouse-client", "--host", c.host(), "--port",
                String.valueOf(c.tcpPort()), "--user", c.user(), "--password", "wrong-password", "--query", "SELECT 1"));
        assertNotEquals(0, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("password"), refused.output());
    }

    private static List<String> kcat(KafkaEndpoint e, String password, String... args) {
        List<String> cmd = new ArrayList<>(List.of("kcat", "-b", e.bootstrapServers(),
                "-X", "security.protocol=" + e.securityProtocol(), "-X", "sasl.mechanisms=" + e.saslMechanism(),
                "-X", "sasl.username=" + e.user(), "-X", "sasl.password=" + password));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Result run(String stdin, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        boolean done = p.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
            return new Result(-1, "timed out: " + output);
        }
        return new Result(p.exitValue(), output);
    }
}
