package dev.clickstream.stack;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ClickHouseConnection;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.KafkaConnection;
import dev.clickstream.common.profile.ProfileStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clickstream.stack.cluster.ClusterShape;
import dev.clickstream.stack.kafka.KafkaBroker;
import dev.clickstream.stack.kafka.KafkaBroker.BrokerPorts;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The files of a stack's state folder that its commands share: {@code stack.json} (pids, ports, passwords; owner
 * only), the connection profile derived from it, and the lock that lets one stack command run at a time.
 */
final class StackFiles {
    private static final ObjectMapper JSON = ProfileStore.mapper();

    private final Path stateDir;

    StackFiles(Path stateDir) {
        this.stateDir = stateDir;
    }

    Path profileFile() {
        return stateDir.resolve(ProfileStore.FILE_NAME);
    }

    Optional<StackState> readState() {
        Path file = stateDir.resolve(LocalStack.STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new UserFacingException("the stack state " + file + " is unreadable (" + e.getMessage()
                    + "): stop stray processes and run `./clickstream down --purge`");
        }
    }

    StackState requireState() {
        return readState().orElseThrow(() -> new UserFacingException("no local stack in " + stateDir
                + ": run `./clickstream up`"));
    }

    void writeState(StackState state) {
        try {
            Files.createDirectories(stateDir);
            Path tmp = Files.createTempFile(stateDir, ".stack", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            JSON.writeValue(tmp.toFile(), state);
            Files.move(tmp, stateDir.resolve(LocalStack.STATE_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateDir.resolve(LocalStack.STATE_FILE), e);
        }
    }

    /** The connection profile of the stack in this state (what {@code up} writes to profile.json). */
    ConnectionProfile profile(StackState s) {
        BrokerPorts k = s.kafkaPorts();
        KafkaConnection kafka = new KafkaConnection(Ports.LOOPBACK + ":" + k.saslPlaintext(), LocalStack.ADMIN_USER,
                s.kafkaPassword(), "SASL_PLAINTEXT", KafkaBroker.SCRAM_MECHANISM,
                stateDir.resolve("tls").resolve("ca.pem").toString(), k.listeners());
        ClickHouseConnection clickhouse = new ClickHouseConnection(Ports.LOOPBACK, null, null,
                s.clickhousePorts().http(), s.clickhousePorts().tcp(), LocalStack.ADMIN_USER, s.clickhousePassword(), "default",
                null, s.cluster() == null ? null : ClusterShape.NAME, s.cluster() == null ? null
                : s.cluster().otherHttpPorts());
        return new ConnectionProfile("local", kafka, clickhouse, s.topic());
    }

    /** One stack command at a time per state folder (two `up`s racing would start two brokers). */
    <T> T locked(Supplier<T> action) {
        try {
            Files.createDirectories(stateDir);
            try (FileChannel channel = FileChannel.open(stateDir.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock lock = acquire(channel)) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + stateDir, e);
        }
    }

    private FileLock acquire(FileChannel channel) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock != null) {
            return lock;
        }
        Optional<FileLock> got = Deadline.in(Duration.ofMinutes(3)).poll(Duration.ofMillis(200), () -> {
            try {
                return Optional.ofNullable(channel.tryLock());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return got.orElseThrow(() -> new UserFacingException("another clickstream command holds " + stateDir
                + "/.lock; wait for it to finish"));
    }
}
