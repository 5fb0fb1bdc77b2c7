package dev.clickstream.testsupport;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import dev.clickstream.stack.LocalStack;
import dev.clickstream.stack.kafka.KafkaBroker;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real local stack owned by the test JVM: started in a temporary folder on free ports, stopped by pid
 * and deleted when the run ends. Tests get endpoints with the stack's real credentials, plus fresh topic
 * and database names so test classes do not see each other's data.
 */
public final class TestStack implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path stateDir;
    private final LocalStack stack;
    private final Thread shutdownHook;
    private volatile boolean closed;

    private TestStack(Path stateDir) {
        this.stateDir = stateDir;
        this.stack = new LocalStack(stateDir);
        this.shutdownHook = new Thread(this::stopQuietly, "clickstream-test-stack-shutdown");
    }

    static TestStack start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("clickstream-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestStack s = new TestStack(dir);
        Runtime.getRuntime().addShutdownHook(s.shutdownHook);
        StringWriter log = new StringWriter();
        try {
            s.stack.up(LocalStack.UpOptions.defaults().withRandomPorts(), new PrintWriter(log, true));
        } catch (RuntimeException e) {
            s.close();
            throw new IllegalStateException("the local stack for the tests did not start:\n" + log + e.getMessage(), e);
        }
        System.err.print(log);
        return s;
    }

    public LocalStack stack() {
        return stack;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Re-read every time: a test may have restarted the stack on other ports. */
    public ConnectionProfile profile() {
        return ProfileStore.load(stack.profileFile());
    }

    public Path profileFile() {
        return stack.profileFile();
    }

    /** SASL_PLAINTEXT with SCRAM-SHA-512, as in the profile. */
    public KafkaEndpoint kafka() {
        return KafkaEndpoint.of(profile().kafkaConnection());
    }

    /** Another listener of the broker: PLAINTEXT, SASL_PLAINTEXT or SASL_SSL. */
    public KafkaEndpoint kafka(String securityProtocol) {
        var c = profile().kafkaConnection();
        return new KafkaEndpoint(c.listeners().get(securityProtocol), securityProtocol, c.saslMechanism(), c.user(),
                c.password(), c.caFile());
    }

    /** {@code args} after {@code --state-dir} of this stack: a command given them reads the stack's profile. */
    public String[] withProfile(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--state-dir";
        all[1] = stateDir.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return all;
    }

    public ClickHouseEndpoint clickhouse() {
        return ClickHouseEndpoint.of(profile().clickhouseConnection());
    }

    public ClickHouse connectClickHouse() {
        return ClickHouse.connect(clickhouse());
    }

    /** A topic name no other test uses, created with {@code partitions} partitions. */
    public String newTopic(String prefix, int partitions) {
        String topic = prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        KafkaBroker.ensureTopic(kafka("PLAINTEXT"), topic, partitions);
        return topic;
    }

    /** A database no other test uses, created empty. */
    public String newDatabase(String prefix) {
        String db = prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
        try (ClickHouse ch = connectClickHouse()) {
            ch.execute("CREATE DATABASE IF NOT EXISTS " + ClickHouse.identifier(db));
        }
        return db;
    }

    @Override
    public void close() {
        stopQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook does the same work
        }
    }

    private synchronized void stopQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stack.down(false, new PrintWriter(System.err, true));
        } catch (RuntimeException e) {
            System.err.println("stopping the test stack failed: " + e.getMessage());
        }
        deleteRecursively(stateDir);
    }

    private static void deleteRecursively(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("cannot delete " + path + ": " + e.getMessage());
        }
    }
}
