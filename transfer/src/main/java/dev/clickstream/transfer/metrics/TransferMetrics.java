package dev.clickstream.transfer.metrics;

import dev.clickstream.transfer.store.FailureClass;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What a transfer counts, in the Prometheus text format: names {@code clickstream_transfer_<name>_<unit>},
 * low-cardinality labels only (the partition), and a counter for messages Kafka removed before delivery.
 */
public final class TransferMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();

    public TransferMetrics() {
        // Heap, GC pauses, threads, CPU and open files of this JVM, named as every JVM dashboard expects (jvm_*,
        // process_*). Registered per instance: tests run several transfers in one JVM, each with its registry.
        JvmMetrics.builder().register(registry);
    }

    public final Counter rows = counter("clickstream_transfer_rows", "Rows written to the target table.");
    public final Counter unparsedRows = counter("clickstream_transfer_unparsed_rows",
            "Lines that did not parse, written to the unparsed table.");
    public final Counter skippedMessages = counter("clickstream_transfer_skipped_messages",
            "Messages removed from Kafka (retention, delete-records) before they were delivered: lost upstream.");
    public final Counter fencedBatches = counter("clickstream_transfer_fenced_batches",
            "Batches dropped unwritten because this process stood still while holding them; read again.");
    public final Counter pauses = counter("clickstream_transfer_pauses",
            "Times this process stood still longer than a third of the session timeout (SIGSTOP, GC, VM pause).");
    public final Counter droppedValues = counter("clickstream_transfer_dropped_values",
            "Values left out because there is no _rest column: fields whose column is gone, optional values that did "
                    + "not fit their column (NULL there).");
    public final Counter writeErrors = Counter.builder().name("clickstream_transfer_write_errors")
            .help("Failed writes by class: transient, table_changed, row, fatal, unknown.").labelNames("class")
            .register(registry);
    {
        // Every class is a series from the start, at 0: a rate or an alert over it then has a value before the
        // first error, and a dashboard panel shows "none" rather than "no data".
        for (FailureClass c : FailureClass.values()) {
            writeErrors.labelValues(c.label());
        }
    }
    public final Counter messages = counter("clickstream_transfer_messages", "Kafka messages delivered.");
    public final Counter bytes = counter("clickstream_transfer_bytes", "Bytes of Kafka message values delivered.");
    public final Counter batches = counter("clickstream_transfer_batches", "Batches written (one INSERT per table each).");
    public final Counter retries = counter("clickstream_transfer_retries",
            "Batch writes that failed and were retried.");
    public final Counter schemaChanges = counter("clickstream_transfer_schema_changes",
            "Columns added by schema evolution.");
    public final Histogram insertSeconds = Histogram.builder().name("clickstream_transfer_insert_duration_seconds")
            .help("Time to write one batch (offset log, target and unparsed inserts).")
            .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
            .register(registry);
    public final Histogram deliveryDelaySeconds = Histogram.builder()
            .name("clickstream_transfer_delivery_delay_seconds")
            .help("From the Kafka timestamp of a batch's oldest message to the end of its insert.")
            .classicOnly().classicUpperBounds(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300)
            .register(registry);
    public final Gauge lag = Gauge.builder().name("clickstream_transfer_consumer_lag_messages")
            .help("Messages in the partition not yet delivered to ClickHouse.").labelNames("partition")
            .register(registry);
    public final Gauge deliveredOffset = Gauge.builder().name("clickstream_transfer_delivered_offset")
            .help("Next offset to deliver per partition.").labelNames("partition").register(registry);
    public final Gauge lastDelivery = Gauge.builder().name("clickstream_transfer_last_delivery_timestamp_seconds")
            .help("When the last batch was written (Unix time).").register(registry);
    public final Gauge failing = Gauge.builder().name("clickstream_transfer_failing")
            .help("1 while the current batch cannot be written and is being retried.").register(registry);

    private Counter counter(String name, String help) {
        return Counter.builder().name(name).help(help).register(registry);
    }

    /** An attempt that failed and will be tried again: counted, by its class, and the service is failing meanwhile. */
    public void failedAttempt(String failureClass) {
        retries.inc();
        failing.set(1);
        writeErrors.labelValues(failureClass).inc();
    }

    public void forgetPartition(int partition) {
        lag.remove(Integer.toString(partition));
        deliveredOffset.remove(Integer.toString(partition));
    }

    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
