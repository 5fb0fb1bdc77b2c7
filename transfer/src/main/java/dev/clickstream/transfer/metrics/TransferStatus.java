package dev.clickstream.transfer.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state /status and /healthz report, updated by the delivery loop and read by the HTTP threads.
 * Every method is synchronized: updates are a few per batch.
 */
public final class TransferStatus {
    /** One partition this instance owns. */
    public record PartitionState(int partition, long deliveredOffset, long endOffset, long lag, boolean recovering) {
    }

    public record LastError(String at, String message) {
    }

    /** Offsets Kafka removed before they were delivered, as the transfer found when it resumed a partition. */
    public record Gap(int partition, long firstMissingOffset, long firstAvailableOffset, long skippedMessages,
                      String foundAt) {
    }

    private final String instance;
    private final String topic;
    private final String group;
    private final String table;
    private final Instant startedAt = Instant.now();
    private String state = "starting";
    private final Map<Integer, PartitionState> partitions = new TreeMap<>();
    private LastError lastError;
    private final Map<Integer, Gap> gaps = new TreeMap<>();
    private Instant lastDeliveryAt;
    private Instant failingSince;

    public TransferStatus(String instance, String topic, String group, String table) {
        this.instance = instance;
        this.topic = topic;
        this.group = group;
        this.table = table;
    }

    public synchronized void state(String newState) {
        state = newState;
    }

    public synchronized void partition(PartitionState p) {
        partitions.put(p.partition(), p);
    }

    public synchronized void removePartition(int partition) {
        partitions.remove(partition);
    }

    public synchronized void gap(int partition, long firstMissing, long firstAvailable, long skipped) {
        gaps.put(partition, new Gap(partition, firstMissing, firstAvailable, skipped, Instant.now().toString()));
    }

    public synchronized void delivered() {
        lastDeliveryAt = Instant.now();
        failingSince = null;
    }

    public synchronized void failed(String message) {
        lastError = new LastError(Instant.now().toString(), message);
        if (failingSince == null) {
            failingSince = Instant.now();
        }
    }

    /** Healthy while running and not stuck retrying the same batch. */
    public synchronized boolean healthy() {
        return ("delivering".equals(state) || "idle".equals(state)) && failingSince == null;
    }

    public synchronized String unhealthyReason() {
        if (failingSince != null) {
            return "cannot write to ClickHouse since " + failingSince + ": " + (lastError == null ? "" : lastError.message());
        }
        return "state " + state;
    }

    public synchronized Map<String, Object> snapshot(Map<String, Object> totals) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("instance", instance);
        m.put("state", state);
        m.put("healthy", healthy());
        m.put("topic", topic);
        m.put("group", group);
        m.put("table", table);
        m.put("started_at", startedAt.toString());
        m.put("last_delivery_at", lastDeliveryAt == null ? null : lastDeliveryAt.toString());
        m.put("assignment", partitions.values().stream().toList());
        m.put("lag", partitions.values().stream().mapToLong(PartitionState::lag).sum());
        m.put("totals", totals);
        m.put("last_error", lastError);
        m.put("gaps", gaps.values().stream().toList());
        return m;
    }
}
