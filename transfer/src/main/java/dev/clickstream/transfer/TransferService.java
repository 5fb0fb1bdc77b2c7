package dev.clickstream.transfer;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.kafka.KafkaEndpoint;
import dev.clickstream.common.kafka.KafkaPreflight;
import dev.clickstream.transfer.config.CleanupPolicy;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.delivery.PauseWatch;
import dev.clickstream.transfer.delivery.RetryPolicy;
import dev.clickstream.transfer.delivery.Transfer;
import dev.clickstream.transfer.metrics.HttpEndpoints;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.offsets.CleanupClaim;
import dev.clickstream.transfer.offsets.OffsetLog;
import dev.clickstream.transfer.replica.ReplicatedTarget;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.shard.ShardedTarget;
import dev.clickstream.transfer.sink.ClickHouseSink;
import dev.clickstream.transfer.sink.ClickHouseStore;
import dev.clickstream.transfer.source.KafkaSource;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.target.ClusterTopology;
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

    private final Transfer transfer;
    private final HttpEndpoints http;
    private final ClickHouse clickhouse;
    private final ShardedTarget shards;
    private final ReplicatedTarget replicas;
    private final KafkaSource source;

    private TransferService(Transfer transfer, HttpEndpoints http, ClickHouse clickhouse, ShardedTarget shards,
                            ReplicatedTarget replicas, KafkaSource source) {
        this.transfer = transfer;
        this.http = http;
        this.clickhouse = clickhouse;
        this.shards = shards;
        this.replicas = replicas;
        this.source = source;
    }

    /** A target.cluster the server does not define would make every ON CLUSTER statement fail later. */
    private static void requireCluster(ClickHouse ch, dev.clickstream.transfer.config.Placement placement) {
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
        // target.socket_timeout (default 60 s) bounds how long a rebalance can wait on an INSERT in flight.
        ClickHouse ch = config.placement().onCluster()
                ? ReplicatedTarget.connectAnswering(chEndpoint, config.socketTimeoutOrDefault(), httpPorts(config, options))
                : ClickHouse.connect(chEndpoint, Duration.ofSeconds(10), config.socketTimeoutOrDefault());
        ShardedTarget closeAlso = null;
        ReplicatedTarget replicas = null;
        String database = config.target() == null ? "default" : config.target().databaseOrDefault();
        String table = config.tableName();
        try {
            ServerVersion version = ch.version();
            requireCluster(ch, config.placement());
            ClickHouseSink sink = new ClickHouseSink(ch, database, table, topic, config.placement());
            OffsetLog offsetLog = new OffsetLog(ch, database, table, topic, topicId, config.placement());
            sink.createDatabase();
            offsetLog.createIfMissing();
            ClusterTopology topology = config.placement().onCluster()
                    ? ClusterTopology.read(ch, config.placement().cluster()) : null;
            ShardedTarget shards = shardedTarget(topology, chEndpoint, ch, config, options, database, table, topic,
                    topicId);
            closeAlso = shards;
            replicas = shards == null ? replicatedTarget(topology, ch, chEndpoint, config, options, database, table, topic,
                    topicId)
                    : null;
            if (replicas != null) {
                replicas.awaitUsable(); // before any history or position is read there
            }
            if (shards != null) {
                shards.awaitUsable();
            }
            boolean evolution = config.target() != null && config.target().schemaEvolutionOrDefault();
            boolean history = shards != null ? shards.hasHistory() : replicas != null ? replicas.hasHistory()
                    : offsetLog.hasHistory();
            if (!history && config.target() != null
                    && config.target().cleanupPolicyOrDefault() != CleanupPolicy.DISABLED) {
                var policy = config.target().cleanupPolicyOrDefault();
                CleanupClaim claim = new CleanupClaim(ch, database, table, topic, options.instance());
                if (claim.tryClaim()) {
                    sink.cleanUp(policy);
                    if (shards != null && policy == CleanupPolicy.DROP) {
                        shards.dropDistributed();
                    }
                    claim.done();
                    LOG.info("first activation for topic {} into {}: cleanup_policy {} applied", topic,
                            sink.describe(), policy);
                } else {
                    claim.awaitDone(CLEANUP_WAIT);
                    LOG.info("first activation for topic {} into {}: another instance applied cleanup_policy {}",
                            topic, sink.describe(), policy);
                }
            }
            TableLayout unparsed = TableLayout.unparsed(version);
            DeliveryStore store = shards != null
                    ? shards.store(TableLayout.target(config, version), unparsed, evolution, database, chEndpoint.user())
                    : replicas != null
                    ? replicas.store(TableLayout.target(config, version), unparsed, evolution, database, chEndpoint.user())
                    : new ClickHouseStore(sink, offsetLog, TableLayout.target(config, version), unparsed, evolution,
                    database, chEndpoint.user());
            TableLayout target = store.reload();
            TransferMetrics metrics = new TransferMetrics();
            TransferStatus status = new TransferStatus(options.instance(), topic, config.source().groupOrDefault(),
                    sink.describe());
            Transfer transfer = new Transfer(config, options.instance(), store, target,
                    unparsed, metrics, status, RetryPolicy.withJitter(),
                    new PauseWatch(options.sessionTimeout().dividedBy(3), System::nanoTime));
            TransferConfig.Http httpConfig = config.httpOrDefault();
            int port = options.httpPortOverride() != null ? options.httpPortOverride() : httpConfig.portOrDefault();
            KafkaSource source = new KafkaSource(kafka, topic, config.source().groupOrDefault(),
                    config.source().autoOffsetResetOrDefault(), "clickstream-transfer-" + options.instance(),
                    options.sessionTimeout(), config.batchOrDefault().maxRowsOrDefault(), transfer);
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
            return new TransferService(transfer, http, ch, closeAlso, replicas, source);
        } catch (ClickHouse.ClickHouseFailure e) {
            closeQuietly(replicas);
            closeQuietly(closeAlso);
            ch.close();
            throw ClickHouseStore.explained(e, database + "." + table, database, chEndpoint.user());
        } catch (RuntimeException e) {
            closeQuietly(replicas);
            closeQuietly(closeAlso);
            ch.close();
            throw e;
        }
    }

    /** The cluster's other servers' HTTP ports: transfer.yaml's, else the connection profile's. */
    private static java.util.Map<String, Integer> httpPorts(TransferConfig config, Options options) {
        var httpPorts = config.target().clusterHttpPortsOrEmpty();
        return httpPorts.isEmpty() && options.clusterHttpPorts() != null ? options.clusterHttpPorts() : httpPorts;
    }

    /**
     * On a cluster of one shard with several replicas, a connection to each, for failing over between them; null
     * otherwise (one server: no topology).
     */
    private static ReplicatedTarget replicatedTarget(ClusterTopology topology, ClickHouse ch, ClickHouseEndpoint configured,
                                                     TransferConfig config, Options options, String database,
                                                     String table, String topic, String topicId) {
        if (topology == null || topology.shards().size() != 1 || topology.shards().get(0).replicas().size() < 2) {
            return null;
        }
        return new ReplicatedTarget(topology, topology.shards().get(0), configured, ch, httpPorts(config, options),
                config.socketTimeoutOrDefault(), database, table, topic, topicId, config.placement());
    }

    /**
     * On a cluster of several shards, a connection to each shard (to each replica of a shard of several); null on
     * one server (no topology) or one shard, where the configured server holds every partition.
     */
    private static ShardedTarget shardedTarget(ClusterTopology topology, ClickHouseEndpoint configured, ClickHouse ch,
                                               TransferConfig config, Options options, String database, String table,
                                               String topic, String topicId) {
        if (topology == null || topology.shards().size() < 2) {
            return null;
        }
        return new ShardedTarget(topology, configured, ch, httpPorts(config, options), config.socketTimeoutOrDefault(),
                database, table, topic, topicId, config.placement());
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
            closeQuietly(shards);
            closeQuietly(replicas);
            clickhouse.close();
        }
    }

    KafkaSource source() {
        return source;
    }
}
