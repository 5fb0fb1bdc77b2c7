package dev.clickstream.common.cli;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.KafkaConnection;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.Map;

/**
 * Kafka connection flags. The original demo's single-dash spellings ({@code -broker}, {@code -user},
 * {@code -password}) sit beside the names Kafka's own tools use. With no broker flag the connection
 * profile written by {@code clickstream up} is used.
 */
public class KafkaOptions {
    @Option(names = {"-broker", "--broker", "--bootstrap-server"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the connection profile).")
    String broker;

    @Option(names = {"-user", "--user"}, paramLabel = "NAME", description = "SASL user.")
    String user;

    @Option(names = {"-password", "--password"}, paramLabel = "SECRET",
            description = "SASL password (or set CLICKSTREAM_KAFKA_PASSWORD).")
    String password;

    @Option(names = "--security-protocol", paramLabel = "PROTOCOL",
            description = "PLAINTEXT, SASL_PLAINTEXT, SASL_SSL or SSL (default: SASL_SSL with -user, else PLAINTEXT;"
                    + " with a profile: the profile's, or another listener of a local stack).")
    String securityProtocol;

    @Option(names = "--sasl-mechanism", paramLabel = "MECHANISM",
            description = "SASL mechanism (default: ${DEFAULT-VALUE}).", defaultValue = KafkaEndpoint.DEFAULT_SASL_MECHANISM)
    String saslMechanism;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "CA certificate(s) for TLS (default: the system CAs).")
    String caFile;

    public boolean brokerGiven() {
        return broker != null;
    }

    /** The endpoint from the flags, or from the profile when no broker was given. */
    public KafkaEndpoint resolve(StateOptions state) {
        if (broker != null) {
            String pw = password != null ? password : System.getenv("CLICKSTREAM_KAFKA_PASSWORD");
            String protocol = securityProtocol != null ? securityProtocol : user != null ? "SASL_SSL" : "PLAINTEXT";
            return validated(new KafkaEndpoint(broker, protocol, saslMechanism, user, pw, caFile));
        }
        return fromProfile(state.loadProfile());
    }

    KafkaEndpoint fromProfile(ConnectionProfile profile) {
        KafkaConnection c = profile.kafkaConnection();
        KafkaEndpoint endpoint = KafkaEndpoint.of(c);
        if (securityProtocol != null && !securityProtocol.equalsIgnoreCase(endpoint.securityProtocol())) {
            String wanted = securityProtocol.toUpperCase(Locale.ROOT);
            Map<String, String> listeners = c.listeners();
            String address = listeners.get(wanted);
            if (address == null) {
                throw new UserFacingException("the connection profile has no " + wanted + " listener (it has: "
                        + String.join(", ", listeners.isEmpty() ? java.util.List.of(endpoint.securityProtocol())
                        : listeners.keySet()) + ")", ExitCodes.USAGE, null);
            }
            endpoint = new KafkaEndpoint(address, wanted, c.saslMechanism(), c.user(), c.password(), c.caFile());
        }
        if (user != null || password != null) {
            endpoint = endpoint.withCredentials(user != null ? user : endpoint.user(),
                    password != null ? password : endpoint.password());
        }
        if (caFile != null) {
            endpoint = new KafkaEndpoint(endpoint.bootstrapServers(), endpoint.securityProtocol(),
                    endpoint.saslMechanism(), endpoint.user(), endpoint.password(), caFile);
        }
        return validated(endpoint);
    }

    private static KafkaEndpoint validated(KafkaEndpoint e) {
        if (!java.util.List.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL").contains(e.securityProtocol())) {
            throw new UserFacingException("--security-protocol: '" + e.securityProtocol()
                    + "' is not one of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL", ExitCodes.USAGE, null);
        }
        if (e.usesSasl() && (e.user() == null || e.user().isBlank())) {
            throw new UserFacingException(e.securityProtocol() + " needs a user: pass -user and -password",
                    ExitCodes.USAGE, null);
        }
        if (e.usesSasl() && e.password() == null) {
            throw new UserFacingException(e.securityProtocol() + " needs a password: pass -password or set "
                    + "CLICKSTREAM_KAFKA_PASSWORD", ExitCodes.USAGE, null);
        }
        if (e.caFile() != null && !java.nio.file.Files.isReadable(java.nio.file.Path.of(e.caFile()))) {
            throw new UserFacingException("--ca-file: cannot read " + e.caFile(), ExitCodes.USAGE, null);
        }
        return e;
    }
}
