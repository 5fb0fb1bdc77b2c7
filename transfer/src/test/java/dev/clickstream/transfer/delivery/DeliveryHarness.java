package dev.clickstream.transfer.delivery;

import dev.clickstream.common.clickhouse.ServerVersion;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.ConfigText;
import dev.clickstream.transfer.config.TransferConfig;
import dev.clickstream.transfer.metrics.TransferMetrics;
import dev.clickstream.transfer.metrics.TransferStatus;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.shard.ShardedStore;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.destination.ShardMap;
import dev.clickstream.stack.process.Deadline;
import java.util.HashMap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The delivery loop in memory: real {@link DeliveryLoop} instances, each on its own thread with an
 * {@link InMemorySource} and a view of one shared {@link InMemoryStore}, over an {@link InMemoryTopic}. A case of
 * transfer/DESIGN.md runs in milliseconds; what the loop cannot see from here (a real broker, ClickHouse's own
 * behaviour) stays with the ITs.
 */
final class DeliveryHarness implements AutoCloseable {
    static final String TOPIC = "clicks";
    static final Duration PAUSE_THRESHOLD = Duration.ofSeconds(2);
    private static final String CONFIG = """
            source:
              topic_name: clicks
              parser:
                json:
                  schema:
                    fields:
                      - {name: id, type: uint64, required: true}
                      - {name: page, type: string}
                  add_rest_column: true
            batch:
              max_rows: %d
              max_delay: 5ms
            """;

    final InMemoryTopic topic;
    final InMemoryStore store = new InMemoryStore();
    /** One store per shard of a sharded cluster ({@link #store} is the first), each instance routing by {@link #map}. */
    final List<InMemoryStore> shards = new ArrayList<>(List.of(store));
    final ShardMap map;
    private final TransferConfig config;
    private final List<Instance> instances = new ArrayList<>();
    /** The keys every line of the topic has, and whether it parses. */
    private final Set<RowKey> good = new HashSet<>();
    private final Set<RowKey> bad = new HashSet<>();

    DeliveryHarness(int partitions, int maxRows) {
        this(partitions, maxRows, 1);
    }

    /** With {@code shardCount} above 1, every instance writes through a {@link ShardedStore} over that many stores. */
    DeliveryHarness(int partitions, int maxRows, int shardCount) {
        this.topic = new InMemoryTopic(TOPIC, partitions);
        this.config = ConfigText.parse(CONFIG.formatted(maxRows));
        this.map = new ShardMap(shardCount);
        while (shards.size() < shardCount) {
            shards.add(new InMemoryStore());
        }
    }

    /** Lines a shard holds of a partition the map gives to another shard; empty when each is where it belongs. */
    String misplaced() {
        List<String> problems = new ArrayList<>();
        for (int s = 0; s < shards.size(); s++) {
            InMemoryStore shard = shards.get(s);
            int index = s;
            Set<RowKey> keys = new HashSet<>(shard.target().keySet());
            keys.addAll(shard.unparsed().keySet());
            keys.stream().filter(k -> map.shardOf(k.partition()) != index).limit(3)
                    .forEach(k -> problems.add(k + " on shard " + index));
            shard.log().stream().filter(l -> map.shardOf(l.partition()) != index).limit(3)
                    .forEach(l -> problems.add("range of partition " + l.partition() + " logged on shard " + index));
        }
        return String.join("; ", problems);
    }

    private int storedRows() {
        return shards.stream().mapToInt(InMemoryStore::rows).sum();
    }

    private Map<RowKey, Integer> all(java.util.function.Function<InMemoryStore, Map<RowKey, Integer>> table) {
        Map<RowKey, Integer> merged = new HashMap<>();
        shards.forEach(s -> table.apply(s).forEach((k, n) -> merged.merge(k, n, Integer::sum)));
        return merged;
    }

    /**
     * Appends {@code messages} messages to each partition: most hold one line, every 7th two lines, every 11th a
     * malformed line (to the unparsed table), every 13th none.
     */
    void produce(int messages) {
        for (int p = 0; p < topic.partitionCount(); p++) {
            for (int i = 0; i < messages; i++) {
                long offset = topic.end(p);
                String value;
                if (offset % 13 == 12) {
                    value = "";
                } else if (offset % 11 == 10) {
                    value = "{\"id\": oops";
                    bad.add(new RowKey(p, offset, 0));
                } else if (offset % 7 == 6) {
                    value = "{\"id\":" + offset + "}\n{\"id\":" + offset + ",\"page\":\"/two\"}";
                    good.add(new RowKey(p, offset, 0));
                    good.add(new RowKey(p, offset, 1));
                } else {
                    value = "{\"id\":" + offset + ",\"page\":\"/p\",\"more\":1}";
                    good.add(new RowKey(p, offset, 0));
                }
                topic.append(p, value);
            }
        }
    }

    /**
     * Plays a run that logged {@code [first, last]} of a partition and stored the lines of the messages below
     * {@code storedBelow} before it stopped.
     */
    void seedDelivered(int partition, long first, long last, long storedBelow) {
        shards.get(map.shardOf(partition)).seed(partition, first, last, keys(good, partition, first, storedBelow), keys(bad, partition, first, storedBelow));
    }

    /** Lines that can no longer be delivered (removed from Kafka, or before where the group started). */
    void forget(int partition, long from, long to) {
        good.removeAll(keys(good, partition, from, to));
        bad.removeAll(keys(bad, partition, from, to));
    }

    private static Set<RowKey> keys(Set<RowKey> lines, int partition, long from, long to) {
        return lines.stream().filter(k -> k.partition() == partition && k.offset() >= from && k.offset() < to)
                .collect(Collectors.toSet());
    }

    Set<Integer> allPartitions() {
        Set<Integer> all = new TreeSet<>();
        for (int p = 0; p < topic.partitionCount(); p++) {
            all.add(p);
        }
        return all;
    }

    /** Starts an instance; it owns nothing until {@link Instance#assign}. */
    Instance start(String name) {
        Instance i = new Instance(name);
        instances.add(i);
        return i;
    }

    /** Waits until every line of the topic is stored, or the deadline passes. */
    boolean awaitAllStored(Duration timeout) {
        int expected = good.size() + bad.size();
        return Deadline.in(timeout).until(Duration.ofMillis(2), () -> storedRows() >= expected);
    }

    /** Lines stored more than once, or never, or in the wrong table; empty when delivery was exactly once. */
    String notExactlyOnce() {
        Map<RowKey, Integer> target = all(InMemoryStore::target);
        Map<RowKey, Integer> unparsed = all(InMemoryStore::unparsed);
        List<String> problems = new ArrayList<>();
        target.forEach((k, n) -> {
            if (n != 1) {
                problems.add(k + " written " + n + " times");
            }
        });
        unparsed.forEach((k, n) -> {
            if (n != 1) {
                problems.add(k + " unparsed " + n + " times");
            }
        });
        Set<RowKey> missing = new TreeSet<>(java.util.Comparator.comparing(RowKey::partition)
                .thenComparing(RowKey::offset).thenComparing(RowKey::line));
        good.stream().filter(k -> !target.containsKey(k)).forEach(missing::add);
        bad.stream().filter(k -> !unparsed.containsKey(k)).forEach(missing::add);
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " lines missing, first " + missing.iterator().next());
        }
        if (!target.keySet().stream().allMatch(good::contains) || !unparsed.keySet().stream().allMatch(bad::contains)) {
            problems.add("a line is in the wrong table");
        }
        return problems.stream().limit(5).collect(Collectors.joining("; "));
    }

    @Override
    public void close() {
        try {
            for (Instance i : instances) {
                i.stopQuietly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One transfer: its loop thread, its consumer and its view of the store. */
    final class Instance {
        final InMemorySource source;
        /** The view of the first shard's store (the only one unless sharded): where a test gives its faults. */
        final InMemoryStore.View view;
        /** Every shard's view, by shard index. */
        final List<InMemoryStore.View> views = new ArrayList<>();
        final TransferMetrics metrics = new TransferMetrics();
        /** The instance's clock: the test makes it jump to play a pause of the process. */
        final java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        final DeliveryLoop transfer;
        private final Thread thread;
        private volatile Throwable died;

        final InMemoryStore.Gate gate = new InMemoryStore.Gate();

        private Instance(String name) {
            source = new InMemorySource(topic, 100, gate);
            ServerVersion version = ServerVersion.parse("26.7.2.1");
            TableLayout unparsed = TableLayout.unparsed(version);
            for (InMemoryStore shard : shards) {
                InMemoryStore.View v = shard.view(gate);
                v.layout = TableLayout.target(config, version);
                views.add(v);
            }
            view = views.get(0);
            DeliveryStore routed = views.size() == 1 ? view
                    : new ShardedStore(map, List.<DeliveryStore>copyOf(views), () -> { });
            transfer = new DeliveryLoop(config, name, routed, view.layout, unparsed, new Supervision(metrics,
                    new TransferStatus(name, TOPIC, "group", "memory"), new RetryPolicy(1, 5, () -> 0),
                    new PauseWatch(PAUSE_THRESHOLD, clock::get)));
            transfer.attach(source);
            source.listener(transfer);
            thread = new Thread(() -> {
                try {
                    transfer.run();
                } catch (Throwable t) {
                    died = t;
                }
            }, "transfer-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Gives the instance partitions and waits until its loop has taken them. */
        void assign(Set<Integer> partitions) throws Exception {
            source.assign(partitions).get(10, TimeUnit.SECONDS);
        }

        /** Takes partitions away and waits until the loop has let them go: the next owner may then read the log. */
        void revoke(Set<Integer> partitions) throws Exception {
            source.revoke(partitions).get(10, TimeUnit.SECONDS);
        }

        /** Stops the loop as SIGTERM does; true when it ended within the timeout. */
        boolean stop(Duration timeout) throws InterruptedException {
            transfer.stop();
            boolean ended = transfer.awaitStopped(timeout);
            thread.join(TimeUnit.SECONDS.toMillis(5));
            return ended;
        }

        void stopQuietly() throws InterruptedException {
            if (thread.isAlive()) {
                stop(Duration.ofSeconds(20));
            }
        }

        /** Waits for the loop to end on its own (a crash); the throwable it died of. */
        Throwable awaitDeath(Duration timeout) throws InterruptedException {
            thread.join(timeout.toMillis());
            return thread.isAlive() ? null : died;
        }

        boolean stoppedCleanly() {
            return transfer.stoppedCleanly();
        }
    }
}
