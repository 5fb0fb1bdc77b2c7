package dev.clickstream.transfer.config;

import dev.clickstream.common.cli.DurationConverter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * transfer.yaml, in the vocabulary of the Terraform transfer endpoints (source: Kafka with a JSON parser
 * schema; target: ClickHouse with a cleanup policy and alt_names), plus batching and the HTTP port.
 * Loaded once at start-up by {@link ConfigLoader}; {@link #problems()} names the path of every wrong field.
 *
 * @param profile connection profile used for whatever the source or target leave out (default: the state folder's)
 */
public record TransferConfig(Source source, Target target, Batch batch, Http http, String profile) {

    /** An INSERT's body is sealed as a block of the server's, at most 1 GiB, and a batch may pass its bound by a message. */
    static final long MAX_BATCH_BYTES = 512L << 20;
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Steps split by '.' or '/'; a key that holds either cannot be reached by a path. */
    private static final Pattern PATH = Pattern.compile("[^./]+([./][^./]+)*");

    /** Where events come from. {@code brokers} and {@code auth} default to the connection profile. */
    public record Source(List<String> brokers, String topicName, String group, Auth auth, Parser parser,
                         String autoOffsetReset) {
        public String groupOrDefault() {
            return group == null || group.isBlank() ? "clickstream-transfer" : group;
        }

        public String autoOffsetResetOrDefault() {
            return autoOffsetReset == null ? "earliest" : autoOffsetReset.toLowerCase(Locale.ROOT);
        }
    }

    public record Auth(String securityProtocol, Sasl sasl, String caFile) {
    }

    public record Sasl(String mechanism, String user, String password) {
    }

    public record Parser(Json json) {
    }

    /**
     * @param nullKeysAllowed a key field that is missing takes its type's zero value instead of making the line unparsed
     * @param addRestColumn   fields the schema does not name go, as one JSON object, to the {@code _rest} column
     */
    public record Json(Schema schema, Boolean nullKeysAllowed, Boolean addRestColumn) {
        public boolean nullKeysAllowedOrDefault() {
            return Boolean.TRUE.equals(nullKeysAllowed);
        }

        public boolean addRestColumnOrDefault() {
            return !Boolean.FALSE.equals(addRestColumn);
        }
    }

    public record Schema(List<Field> fields) {
    }

    /**
     * @param path           where the value sits in the event: {@code a.b.c}, or {@code a/b/c} as DoubleCloud's
     *                       configs write it; default: the name
     * @param lowCardinality our addition: LowCardinality(String) on servers that have it
     */
    public record Field(String name, String type, Boolean key, Boolean required, String path, Boolean lowCardinality) {
        public FieldType fieldType() {
            return FieldType.fromConfig(type).orElseThrow();
        }

        public boolean isKey() {
            return Boolean.TRUE.equals(key);
        }

        public boolean isRequired() {
            return Boolean.TRUE.equals(required);
        }

        public List<String> pathParts() {
            return List.of((path == null || path.isBlank() ? name : path).split("[./]"));
        }

        public boolean isLowCardinality() {
            return Boolean.TRUE.equals(lowCardinality);
        }
    }

    /**
     * Where events go. {@code connection} defaults to the connection profile.
     *
     * @param socketTimeout how long a ClickHouse request may go without an answer before it counts as failed and
     *                      is retried (default 60 s); it also bounds how long a rebalance waits on an INSERT in flight
     */
    /**
     * @param cluster          the cluster of remote_servers to create the tables on (ON CLUSTER, Replicated); null: one server
     * @param clusterHttpPorts each server's HTTP port by the {@code host:tcp_port} system.clusters names it by, for
     *                         servers that share a host (default: the port of connection.url)
     */
    public record Target(Connection connection, String database, String table, String cleanupPolicy,
                         List<AltName> altNames, Boolean schemaEvolution, String socketTimeout, String cluster,
                         java.util.Map<String, Integer> clusterHttpPorts) {
        public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
        public static final String DEFAULT_DATABASE = "default";

        public Duration socketTimeoutOrDefault() {
            return socketTimeout == null ? DEFAULT_SOCKET_TIMEOUT : DurationConverter.parse(socketTimeout);
        }

        public String databaseOrDefault() {
            return database == null || database.isBlank() ? DEFAULT_DATABASE : database;
        }

        public CleanupPolicy cleanupPolicyOrDefault() {
            return cleanupPolicy == null ? CleanupPolicy.DISABLED
                    : CleanupPolicy.valueOf(cleanupPolicy.toUpperCase(Locale.ROOT));
        }

        public boolean schemaEvolutionOrDefault() {
            return Boolean.TRUE.equals(schemaEvolution);
        }

        public List<AltName> altNamesOrEmpty() {
            return altNames == null ? List.of() : altNames;
        }

        public java.util.Map<String, Integer> clusterHttpPortsOrEmpty() {
            return clusterHttpPorts == null ? java.util.Map.of() : clusterHttpPorts;
        }
    }

    public record Connection(String url, String user, String password, String caFile) {
    }

    public record AltName(String fromName, String toName) {
    }

    /** A batch is written when any limit is reached. */
    public record Batch(Integer maxRows, Long maxBytes, String maxDelay, String format) {
        public static final int DEFAULT_MAX_ROWS = 100_000;
        public static final long DEFAULT_MAX_BYTES = 16L << 20;
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(300);

        public int maxRowsOrDefault() {
            return maxRows == null ? DEFAULT_MAX_ROWS : maxRows;
        }

        public long maxBytesOrDefault() {
            return maxBytes == null ? DEFAULT_MAX_BYTES : maxBytes;
        }

        public Duration maxDelayOrDefault() {
            return maxDelay == null ? DEFAULT_MAX_DELAY : DurationConverter.parse(maxDelay);
        }

        public InsertFormat formatOrDefault() {
            return format == null ? InsertFormat.ROW_BINARY : InsertFormat.fromConfig(format);
        }
    }

    /** @param port 0 picks a free port; the default is 9102 */
    public record Http(Integer port, String host) {
        public int portOrDefault() {
            return port == null ? 9102 : port;
        }

        public String hostOrDefault() {
            return host == null || host.isBlank() ? "127.0.0.1" : host;
        }
    }

    /** On the one server the transfer talks to, or ON CLUSTER target.cluster as Replicated tables. */
    public Placement placement() {
        return new Placement(target == null ? null : target.cluster());
    }

    /** The target's database: {@code target.database}, else ClickHouse's "default". */
    public String database() {
        return target == null ? Target.DEFAULT_DATABASE : target.databaseOrDefault();
    }

    /** Whether new top-level fields become columns ({@code target.schema_evolution}, off by default). */
    public boolean schemaEvolution() {
        return target != null && target.schemaEvolutionOrDefault();
    }

    /** The ClickHouse client's socket timeout: {@code target.socket_timeout}, else 60 s. */
    public Duration socketTimeoutOrDefault() {
        return target == null ? Target.DEFAULT_SOCKET_TIMEOUT : target.socketTimeoutOrDefault();
    }

    public Batch batchOrDefault() {
        return batch == null ? new Batch(null, null, null, null) : batch;
    }

    public Http httpOrDefault() {
        return http == null ? new Http(null, null) : http;
    }

    /** The target table: target.table, else the topic renamed by alt_names, else the topic as an identifier. */
    public String tableName() {
        if (target != null && target.table() != null && !target.table().isBlank()) {
            return target.table();
        }
        String topic = source.topicName();
        if (target != null) {
            for (AltName alt : target.altNamesOrEmpty()) {
                if (topic.equals(alt.fromName())) {
                    return alt.toName();
                }
            }
        }
        return identifierFromTopic(topic);
    }

    /** clickhouse-events -> clickhouse_events; a leading digit gets an underscore in front. */
    public static String identifierFromTopic(String topic) {
        String s = topic.replaceAll("[^A-Za-z0-9_]", "_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    /** Every problem, each prefixed by the path of the field in transfer.yaml. Empty when valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (source == null) {
            p.add("source: missing");
            return p;
        }
        if (source.topicName() == null || source.topicName().isBlank()) {
            p.add("source.topic_name: missing");
        }
        if (!Set.of("earliest", "latest").contains(source.autoOffsetResetOrDefault())) {
            p.add("source.auto_offset_reset: '" + source.autoOffsetReset() + "' is not earliest or latest");
        }
        if (source.brokers() != null && source.brokers().isEmpty()) {
            p.add("source.brokers: empty (leave it out to use the connection profile)");
        }
        if (source.auth() != null) {
            Auth a = source.auth();
            if (a.securityProtocol() != null && !List.of("PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL")
                    .contains(a.securityProtocol().toUpperCase(Locale.ROOT))) {
                p.add("source.auth.security_protocol: '" + a.securityProtocol()
                        + "' is not one of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL");
            }
            if (a.sasl() != null && (a.sasl().user() == null || a.sasl().user().isBlank())) {
                p.add("source.auth.sasl.user: missing");
            }
        }
        checkParser(p);
        if (target != null) {
            if (target.database() != null && !IDENTIFIER.matcher(target.database()).matches()) {
                p.add("target.database: '" + target.database() + "' is not an identifier (letters, digits, _)");
            }
            if (target.table() != null && !IDENTIFIER.matcher(target.table()).matches()) {
                p.add("target.table: '" + target.table() + "' is not an identifier (letters, digits, _)");
            }
            if (target.cluster() != null && !target.cluster().matches("[A-Za-z0-9_.-]+")) {
                p.add("target.cluster: '" + target.cluster() + "' is not a cluster name of remote_servers "
                        + "(letters, digits, _ . -)");
            }
            target.clusterHttpPortsOrEmpty().forEach((server, port) -> {
                if (!server.matches(".+:[0-9]{1,5}") || port == null || port < 1 || port > 65535) {
                    p.add("target.cluster_http_ports: '" + server + "': " + port + " is not host:tcp_port: http_port");
                }
            });
            if (target.cleanupPolicy() != null && !Set.of("DISABLED", "DROP", "TRUNCATE")
                    .contains(target.cleanupPolicy().toUpperCase(Locale.ROOT))) {
                p.add("target.cleanup_policy: '" + target.cleanupPolicy() + "' is not one of DISABLED, DROP, TRUNCATE");
            }
            List<AltName> alts = target.altNamesOrEmpty();
            for (int i = 0; i < alts.size(); i++) {
                if (alts.get(i).fromName() == null) {
                    p.add("target.alt_names[" + i + "].from_name: missing");
                }
                if (alts.get(i).toName() == null || !IDENTIFIER.matcher(alts.get(i).toName()).matches()) {
                    p.add("target.alt_names[" + i + "].to_name: '" + alts.get(i).toName() + "' is not an identifier");
                }
            }
            if (target.socketTimeout() != null) {
                try {
                    if (target.socketTimeoutOrDefault().toMillis() < 1) {
                        p.add("target.socket_timeout: must be at least 1ms (0 would wait forever)");
                    }
                } catch (RuntimeException e) {
                    p.add("target.socket_timeout: '" + target.socketTimeout() + "' is not a duration (examples: 30s, 2m)");
                }
            }
            if (target.connection() != null && target.connection().url() != null
                    && !target.connection().url().matches("https?://.+")) {
                p.add("target.connection.url: '" + target.connection().url() + "' must start with http:// or https://");
            }
        }
        Batch b = batchOrDefault();
        if (b.maxRows() != null && b.maxRows() < 1) {
            p.add("batch.max_rows: must be at least 1");
        }
        if (b.maxBytes() != null && b.maxBytes() < 1024) {
            p.add("batch.max_bytes: must be at least 1024");
        }
        if (b.maxBytes() != null && b.maxBytes() > MAX_BATCH_BYTES) {
            p.add("batch.max_bytes: must be at most " + MAX_BATCH_BYTES + " (512 MiB)");
        }
        if (b.maxDelay() != null) {
            try {
                if (b.maxDelayOrDefault().isNegative() || b.maxDelayOrDefault().isZero()) {
                    p.add("batch.max_delay: must be positive");
                }
            } catch (RuntimeException e) {
                p.add("batch.max_delay: '" + b.maxDelay() + "' is not a duration (examples: 300ms, 2s)");
            }
        }
        if (b.format() != null && InsertFormat.tryFromConfig(b.format()).isEmpty()) {
            p.add("batch.format: '" + b.format() + "' is not RowBinary or JSONEachRow");
        }
        Http h = httpOrDefault();
        if (h.port() != null && (h.port() < 0 || h.port() > 65535)) {
            p.add("http.port: " + h.port() + " is not a port");
        }
        if (p.isEmpty() && !IDENTIFIER.matcher(tableName()).matches()) {
            p.add("target.table: the name '" + tableName() + "' derived from the topic is not an identifier; set it");
        }
        return p;
    }

    private void checkParser(List<String> p) {
        if (source.parser() == null || source.parser().json() == null) {
            p.add("source.parser.json: missing (only the JSON parser exists)");
            return;
        }
        Json json = source.parser().json();
        if (json.schema() == null || json.schema().fields() == null || json.schema().fields().isEmpty()) {
            p.add("source.parser.json.schema.fields: missing or empty");
            return;
        }
        Set<String> names = new HashSet<>();
        List<Field> fields = json.schema().fields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            String at = "source.parser.json.schema.fields[" + i + "]";
            if (f.name() == null || !IDENTIFIER.matcher(f.name()).matches()) {
                p.add(at + ".name: '" + f.name() + "' is not an identifier (letters, digits, _)"
                        + (f.name() == null ? "" : "; to read a key of that name, write name: "
                        + identifierFromTopic(f.name()) + ", path: \"" + f.name() + "\""));
            } else if (f.name().startsWith("_")) {
                String plain = f.name().replaceFirst("^_+", "");
                p.add(at + ".name: '" + f.name() + "' starts with _, which is kept for system columns; to read a key"
                        + " of that name, write name: " + (plain.isEmpty() ? "field" : plain) + ", path: \"" + f.name() + "\"");
            } else if (!names.add(f.name())) {
                p.add(at + ".name: '" + f.name() + "' appears twice");
            }
            if (FieldType.fromConfig(f.type()).isEmpty()) {
                String instead = DoubleCloudKeys.insteadOfType(f.type());
                p.add(at + ".type: '" + f.type() + "' is not one of " + FieldType.known()
                        + (instead == null ? "" : " (DoubleCloud's; " + instead + ")"));
            }
            // "" is the original demo's way of saying "the field's own name"; blanks and empty steps are mistakes.
            if (f.path() != null && !f.path().isEmpty() && (f.path().isBlank() || !PATH.matcher(f.path()).matches())) {
                p.add(at + ".path: '" + f.path() + "' is not a path such as a.b.c or a/b/c (no empty step, no blank)");
            }
        }
    }
}
