package dev.clickstream.transfer;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.config.Placement;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.delivery.PauseWatch;
import dev.clickstream.transfer.delivery.RetryPolicy;
import dev.clickstream.transfer.delivery.Supervision;
import dev.clickstream.transfer.delivery.DeliveryLoop;
import dev.clickstream.transfer.metrics.HttpEndpoints;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.offsets.CleanupClaim;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.replica.ReplicatedTarget;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.ClickHouseStore;
import dev.clickstream.transfer.source.KafkaSource;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.destination.ClusterAccess;
import dev.clickstream.transfer.destination.Target;
import dev.clickstream.transfer.destination.TargetTable;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;

/**
 * Starts a transfer: checks both ends (a wrong password or an unreachable server stops it here, with one
 * line), prepares the tables (cleanup policy on a first activation), opens the HTTP endpoints and the
 * Kafka consumer. {@link #run()} then delivers until {@link #stop()}.
 */
public final class TransferService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("transfer");
    /** How long an instance waits for another one's first-activation cleanup: DROP and TRUNCATE take seconds. */
    private static final Duration CLEANUP_WAIT = Duration.ofSeconds(60);

    /**
     * Settings of a running instance that are not part of transfer.yaml.
     *
     * @param clusterHttpPorts what the connection profile says of the cluster's other servers' HTTP ports, used
     *                         when transfer.yaml gives no {@code target.cluster_http_ports}
     */
    public record Options(String instance, Integer httpPortOverride, Duration sessionTimeout,
                          java.util.Map<String, Integer> clusterHttpPorts) {
        public Options(String instance, Integer httpPortOverride, Duration sessionTimeout) {
            this(instance, httpPortOverride, sessionTimeout, java.util.Map.of());
        }

        public static Options defaults() {
            return new Options(defaultInstance(), null, Duration.ofSeconds(10));
        }

        public static String defaultInstance() {
            String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
            return host + "-" + ProcessHandle.current().pid();
        }
    }

    private final DeliveryLoop transfer;
    private final HttpEndpoints http;
    private final ClickHouse clickhouse;
    private final Target target;
    private final KafkaSource source;

    private TransferService(DeliveryLoop transfer, HttpEndpoints http, ClickHouse clickhouse, Target target,
                            KafkaSource source) {
        this.transfer = transfer;
        this.http = http;
        this.clickhouse = clickhouse;
        this.target = target;
        this.source = source;
    }

    /** A target.cluster the server does not define would make every ON CLUSTER statement fail later. */
    private static void requireCluster(ClickHouse ch, Placement placement) {
        if (!placement.onCluster()) {
            return;
        }
        List<String> clusters = ch.query("SELECT DISTINCT cluster FROM system.clusters ORDER BY cluster").stream()
                .map(r -> r.get("cluster").asText()).toList();
        if (!clusters.contains(placement.cluster())) {
            throw new UserFacingException("target.cluster: ClickHouse at " + ch.endpoint().url() + " has no cluster '"
                    + placement.cluster() + "' in its remote_servers" + (clusters.isEmpty() ? "" : " (it has: "
                    + String.join(", ", clusters) + ")"));
        }
    }

    public static TransferService open(TransferConfig config, KafkaEndpoint kafka, ClickHouseEndpoint chEndpoint,
                                       Options options) {
        String topic = config.source().topicName();
        String topicId;
        try (Admin admin = KafkaPreflight.admin(kafka, KafkaPreflight.DEFAULT_TIMEOUT)) {
            KafkaPreflight.check(admin, kafka, KafkaPreflight.DEFAULT_TIMEOUT);
            topicId = KafkaPreflight.describeTopic(admin, kafka, topic, KafkaPreflight.DEFAULT_TIMEOUT)
                    .orElseThrow(() -> new UserFacingException("source.topic_name: topic '" + topic + "' does not exist on "
                            + kafka.bootstrapServers() + " (create it, e.g. ./clickstream producer creates it)"))
                    .topicId().toString();
        }
        TargetTable table = new TargetTable(config.database(), config.tableName(), topic, topicId, config.placement());
        java.util.Map<String, Integer> httpPorts = httpPorts(config, options);
        // target.socket_timeout (default 60 s) bounds how long a rebalance can wait on an INSERT in flight.
        ClickHouse ch = table.placement().onCluster()
                ? ReplicatedTarget.connectAnswering(chEndpoint, config.socketTimeoutOrDefault(), httpPorts)
                : ClickHouse.connect(chEndpoint, Duration.ofSeconds(10), config.socketTimeoutOrDefault());
        Target target = null;
        try {
            ServerVersion version = ch.version();
            requireCluster(ch, table.placement());
            ClickHouseSink sink = new ClickHouseSink(ch, table);
            OffsetLog offsetLog = new OffsetLog(ch, table);
            sink.createDatabase();
            offsetLog.createIfMissing();
            target = TransferTargets.open(table, new ClusterAccess(chEndpoint, ch, httpPorts,
                    config.socketTimeoutOrDefault()), sink, offsetLog);
            target.awaitUsable(); // before any history or position is read there
            if (!target.hasHistory() && config.target() != null
                    && config.target().cleanupPolicyOrDefault() != CleanupPolicy.DISABLED) {
                cleanUp(config.target().cleanupPolicyOrDefault(), ch, table, sink, target, options.instance());
            }
            TableLayout unparsed = TableLayout.unparsed(version);
            DeliveryStore store = target.store(TableLayout.target(config, version), unparsed, config.schemaEvolution(),
                    chEndpoint.user());
            TableLayout targetLayout = store.reload();
            TransferMetrics metrics = new TransferMetrics();
            TransferStatus status = new TransferStatus(options.instance(), topic, config.source().groupOrDefault(),
                    sink.describe());
            DeliveryLoop transfer = new DeliveryLoop(config, options.instance(), store, targetLayout, unparsed,
                    new Supervision(metrics, status, RetryPolicy.withJitter(),
                            new PauseWatch(options.sessionTimeout().dividedBy(3), System::nanoTime)));
            TransferConfig.Http httpConfig = config.httpOrDefault();
            int port = options.httpPortOverride() != null ? options.httpPortOverride() : httpConfig.portOrDefault();
            KafkaSource source = new KafkaSource(kafka, new KafkaSource.Reading(topic, config.source().groupOrDefault(),
                    config.source().autoOffsetResetOrDefault(), "clickstream-transfer-" + options.instance(),
                    options.sessionTimeout(), config.batchOrDefault().maxRowsOrDefault()), transfer);
            HttpEndpoints http;
            try {
                http = new HttpEndpoints(httpConfig.hostOrDefault(), port, metrics, status, transfer::totals);
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
            transfer.attach(source);
            LOG.info("started instance={} topic={} group={} kafka={} table={} clickhouse={} version={} format={}"
                            + " http=http://{}:{}/metrics", options.instance(), topic, config.source().groupOrDefault(),
                    kafka.describe(), sink.describe(), chEndpoint.url(), version,
                    config.batchOrDefault().formatOrDefault().clickhouseName(), httpConfig.hostOrDefault(), http.port());
            return new TransferService(transfer, http, ch, target, source);
        } catch (ClickHouse.ClickHouseFailure e) {
            closeQuietly(target);
            ch.close();
            throw ClickHouseStore.explained(e, table.describe(), table.database(), chEndpoint.user());
        } catch (RuntimeException e) {
            closeQuietly(target);
            ch.close();
            throw e;
        }
    }

    /** A first activation's cleanup policy, applied by one instance of the group while the others wait for it. */
    private static void cleanUp(CleanupPolicy policy, ClickHouse ch, TargetTable table, ClickHouseSink sink,
                                Target target, String instance) {
        CleanupClaim claim = new CleanupClaim(ch, table, instance);
        if (claim.tryClaim()) {
            sink.cleanUp(policy);
            target.cleanedUp(policy);
            claim.done();
            LOG.info("first activation for topic {} into {}: cleanup_policy {} applied", table.topic(),
                    sink.describe(), policy);
        } else {
            claim.awaitDone(CLEANUP_WAIT);
            LOG.info("first activation for topic {} into {}: another instance applied cleanup_policy {}",
                    table.topic(), sink.describe(), policy);
        }
    }

    /** The cluster's other servers' HTTP ports: transfer.yaml's, else the connection profile's. */
    private static java.util.Map<String, Integer> httpPorts(TransferConfig config, Options options) {
        if (config.target() == null) {
            return java.util.Map.of();
        }
        var httpPorts = config.target().clusterHttpPortsOrEmpty();
        return httpPorts.isEmpty() && options.clusterHttpPorts() != null ? options.clusterHttpPorts() : httpPorts;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // the failure that got us here is the one to report
        }
    }

    public int httpPort() {
        return http.port();
    }

    /** Delivers until {@link #stop()}; the loop closes the Kafka consumer when it ends. */
    public void run() {
        synchronized (this) {
            ran = true;
        }
        transfer.run();
    }

    public void stop() {
        transfer.stop();
    }

    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return transfer.awaitStopped(timeout);
    }

    public boolean stoppedCleanly() {
        return transfer.stoppedCleanly();
    }

    private boolean closed;
    private boolean ran;

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            http.close();
            if (!ran) {
                source.close(); // else the loop owns the consumer, which only its own thread may close
            }
            closeQuietly(target);
            clickhouse.close();
        }
    }

    KafkaSource source() {
        return source;
    }
}
