package dev.clickstream.transfer.delivery;

import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.TableLayout;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The parsers of a batch: one {@link ParseShard} per core (up to four), each filling its own part of the batch, so
 * the records of one large poll are parsed on every core at once. Shard 0 parses in the loop's own thread.
 */
final class ParsePool {
    /** Polls this large are parsed by all shards at once; smaller ones are not worth the hand-over. */
    private static final int PARALLEL_FROM = 256;
    private static final int MAX_THREADS = 4;

    private final ParseShard[] shards;
    private final boolean nullKeysAllowed;
    private final boolean schemaEvolution;
    /** Threads for shards 1..n exist only while the loop runs. */
    private ExecutorService threads;

    ParsePool(boolean nullKeysAllowed, boolean schemaEvolution) {
        this.shards = new ParseShard[Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()))];
        this.nullKeysAllowed = nullKeysAllowed;
        this.schemaEvolution = schemaEvolution;
    }

    /** How many parts a batch needs: one per shard. */
    int size() {
        return shards.length;
    }

    /** New parsers for a new target layout (a schema change). */
    void useLayout(TableLayout target, TableLayout unparsed) {
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new ParseShard(target, unparsed, nullKeysAllowed, schemaEvolution);
        }
    }

    void start(ThreadFactory factory) {
        threads = shards.length == 1 ? null : Executors.newFixedThreadPool(shards.length - 1, factory);
    }

    void shutdown() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    /** Parses the records into the batch's parts at once; true when one of them needs schema evolution first. */
    boolean parseAll(List<ConsumerRecord<byte[], byte[]>> list, ParseShard.Recovery[] recoveries, Batch b) {
        int chunks = list.size() >= PARALLEL_FROM ? shards.length : 1;
        List<Future<Boolean>> others = new ArrayList<>();
        int size = (list.size() + chunks - 1) / chunks;
        for (int c = 1; c < chunks; c++) {
            int shard = c;
            int from = Math.min(list.size(), c * size);
            int to = Math.min(list.size(), from + size);
            others.add(threads.submit(() -> shards[shard].parse(list, recoveries, from, to, b.target(shard),
                    b.unparsed(shard))));
        }
        boolean evolve = false;
        RuntimeException failure = null;
        try {
            evolve = shards[0].parse(list, recoveries, 0, Math.min(list.size(), size), b.target(0), b.unparsed(0));
        } catch (RuntimeException e) {
            failure = e;
        }
        // Every shard is waited for, even after a failure: none may still be writing into the batch.
        for (Future<Boolean> f : others) {
            try {
                evolve |= f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while parsing", e);
            } catch (ExecutionException e) {
                failure = new IllegalStateException("parsing failed", e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return evolve;
    }

    /** One message's lines into part 0 of the batch; the new fields when schema evolution must run first, else null. */
    Map<String, FieldType> addLines(ConsumerRecord<byte[], byte[]> record, ParseShard.Recovery recovery, Batch b) {
        return shards[0].addLines(record, recovery, b.target(0), b.unparsed(0));
    }
}
