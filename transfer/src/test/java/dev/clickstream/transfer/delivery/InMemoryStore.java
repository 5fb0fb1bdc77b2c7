package dev.clickstream.transfer.delivery;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.transfer.batch.Batch;
import dev.clickstream.transfer.batch.EncodedRows;
import dev.clickstream.transfer.batch.RowKey;
import dev.clickstream.transfer.config.FieldType;
import dev.clickstream.transfer.schema.TableLayout;
import dev.clickstream.transfer.store.DeliveryStore;
import dev.clickstream.transfer.store.TableChanged;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The offset log and the two tables in memory, keeping what ClickHouse keeps: logged ranges, and how often each
 * line's key was written. Each instance of a test talks to it through a {@link View} that can fail the way
 * ClickHouse and processes fail.
 */
final class InMemoryStore {
    record Logged(int partition, long first, long last, String writeId, String instance) {
    }

    /** What the next write of a view does. */
    enum Fault {
        /** It succeeds. */
        NONE,
        /** ClickHouse refuses: nothing is written. */
        DOWN,
        /** Half of the target rows land, then the connection breaks. */
        PARTIAL,
        /** Everything lands, but the answer is lost. */
        LOST_ANSWER,
        /** Half of the target rows land, and the process dies (kill -9): nothing else of that instance runs. */
        CRASH,
        /** A person altered the table after the batch was logged: the insert fails as a schema error, nothing lands. */
        TABLE_CHANGED,
        /**
         * The table looks gone (a server shutting down answers so) once the next batch has been written: this one,
         * already logged, fails, while a later one is in the store but not yet settled.
         */
        TABLE_GONE_AFTER_NEXT
    }

    /** What kill -9 looks like to the code that was running: no catch, no retry. */
    static final class Crash extends Error {
        Crash() {
            super("killed", null, false, false);
        }
    }

    private final List<Logged> log = new ArrayList<>();
    private final Map<RowKey, Integer> target = new HashMap<>();
    private final Map<RowKey, Integer> unparsed = new HashMap<>();

    synchronized List<Logged> log() {
        return List.copyOf(log);
    }

    /** How often each target row was written. */
    synchronized Map<RowKey, Integer> target() {
        Map<RowKey, Integer> sorted = new TreeMap<>(Comparator.comparing(RowKey::partition)
                .thenComparing(RowKey::offset).thenComparing(RowKey::line));
        sorted.putAll(target);
        return sorted;
    }

    synchronized Map<RowKey, Integer> unparsed() {
        return new HashMap<>(unparsed);
    }

    synchronized int rows() {
        return target.size() + unparsed.size();
    }

    synchronized void seed(int partition, long first, long last, Set<RowKey> targetRows, Set<RowKey> unparsedRows) {
        log.add(new Logged(partition, first, last, "seeded", "seeded"));
        targetRows.forEach(k -> target.merge(k, 1, Integer::sum));
        unparsedRows.forEach(k -> unparsed.merge(k, 1, Integer::sum));
    }

    synchronized Optional<DeliveryStore.Window> uncertain(int partition) {
        List<Batch.Range> distinct = log.stream().filter(l -> l.partition() == partition)
                .map(l -> new Batch.Range(l.first(), l.last())).distinct()
                .sorted(Comparator.comparingLong(Batch.Range::last).thenComparingLong(Batch.Range::first).reversed())
                .limit(2).toList();
        if (distinct.isEmpty()) {
            return Optional.empty();
        }
        List<String> ids = log.stream().filter(l -> l.partition() == partition
                && distinct.contains(new Batch.Range(l.first(), l.last()))).map(Logged::writeId).toList();
        return Optional.of(new DeliveryStore.Window(distinct.stream().mapToLong(Batch.Range::first).min().orElseThrow(),
                distinct.stream().mapToLong(Batch.Range::last).max().orElseThrow(), ids));
    }

    synchronized Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
        Set<RowKey> present = new HashSet<>();
        for (Map<RowKey, Integer> table : List.of(target, unparsed)) {
            for (RowKey k : table.keySet()) {
                Batch.Range r = ranges.get(k.partition());
                if (r != null && k.offset() >= r.first() && k.offset() <= r.last()) {
                    present.add(k);
                }
            }
        }
        return present;
    }

    synchronized void record(Map<Integer, Batch.Range> ranges, String writeId, String instance) {
        ranges.forEach((p, r) -> log.add(new Logged(p, r.first(), r.last(), writeId, instance)));
    }

    /** Stores the first {@code targetShare} of the batch's target rows (all its unparsed rows when 1). */
    synchronized void write(Batch batch, double targetShare) {
        List<RowKey> targetKeys = keys(batch, true);
        int n = (int) Math.round(targetKeys.size() * targetShare);
        targetKeys.subList(0, n).forEach(k -> target.merge(k, 1, Integer::sum));
        if (targetShare >= 1) {
            keys(batch, false).forEach(k -> unparsed.merge(k, 1, Integer::sum));
        }
    }

    private static List<RowKey> keys(Batch batch, boolean targetRows) {
        List<RowKey> keys = new ArrayList<>();
        for (int s = 0; s < batch.shards(); s++) {
            EncodedRows rows = targetRows ? batch.target(s) : batch.unparsed(s);
            for (int i = 0; i < rows.count(); i++) {
                keys.add(rows.key(i));
            }
        }
        return keys;
    }

    View view(Gate gate) {
        return new View(gate);
    }

    /** A stand-still of one instance: its loop and writer threads block at the gate while it is closed. */
    static final class Gate {
        /** Set by a CRASH: the whole instance is gone, whichever of its views (shards) it was writing to. */
        volatile boolean killed;
        private boolean closed;
        private boolean reached;

        synchronized void close() {
            closed = true;
        }

        synchronized void open() {
            closed = false;
            notifyAll();
        }

        /** True once a thread has been held at the closed gate. */
        synchronized boolean holding() {
            return reached;
        }

        synchronized void pass() {
            while (closed) {
                reached = true;
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One instance's connection to the store, with the faults the test gives it. */
    final class View implements DeliveryStore {
        private final java.util.Deque<Fault> faults = new java.util.ArrayDeque<>();
        private volatile boolean down;
        private volatile RuntimeException failure;
        private final Gate gate;
        private volatile boolean freezeAfterNextRecord;
        private volatile boolean freezeInNextWrite;
        private volatile boolean alterBeforeNextCheck;
        /** Set while a TABLE_GONE_AFTER_NEXT write waits for a later write to be stored. */
        private volatile java.util.concurrent.CountDownLatch laterWrite;
        /** What {@link #targetExists()} answers once the store answers again. */
        volatile boolean targetExists = true;
        /** What {@link #reload()} answers: the layout the instance started with. */
        volatile TableLayout layout;
        final java.util.concurrent.atomic.AtomicInteger reloads = new java.util.concurrent.atomic.AtomicInteger();

        View(Gate gate) {
            this.gate = gate;
        }

        /** The next record() logs its ranges, then the whole instance stands still until the gate opens. */
        View freezeAfterNextRecord() {
            freezeAfterNextRecord = true;
            return this;
        }

        /**
         * The next write stands still, with the whole instance, after the write's last check and before its body is
         * sent, until the gate opens: the moment a SIGSTOP between a writer's check and its INSERT would hit.
         */
        View freezeInNextWrite() {
            freezeInNextWrite = true;
            return this;
        }

        /** The next structure check finds the table altered (before the batch is logged). */
        View alterBeforeNextCheck() {
            alterBeforeNextCheck = true;
            return this;
        }

        synchronized View then(Fault... next) {
            faults.addAll(List.of(next));
            return this;
        }

        /** While down, every call fails as a refused ClickHouse does. */
        View down(boolean isDown) {
            down = isDown;
            return this;
        }

        /** Every call throws this (say, a bug's exception) from now on. */
        View failWith(RuntimeException e) {
            failure = e;
            return this;
        }

        private void check() {
            if (gate.killed) {
                throw new Crash();
            }
            if (failure != null) {
                throw failure;
            }
            if (down) {
                throw new UserFacingException("ClickHouse at memory: connection refused");
            }
        }

        private synchronized Fault nextFault() {
            return faults.poll();
        }

        @Override
        public Optional<DeliveryStore.Window> uncertain(int partition) {
            check();
            return InMemoryStore.this.uncertain(partition);
        }

        @Override
        public Set<RowKey> presentKeys(Map<Integer, Batch.Range> ranges) {
            check();
            return InMemoryStore.this.presentKeys(ranges);
        }

        @Override
        public void record(Batch batch, String writeId, String instance) {
            check();
            InMemoryStore.this.record(batch.ranges(), writeId, instance);
            if (freezeAfterNextRecord) {
                freezeAfterNextRecord = false;
                gate.close();
            }
            gate.pass();
        }

        @Override
        public void write(Batch batch, TableLayout targetLayout, TableLayout unparsedLayout, String writeId) {
            check();
            Fault fault = nextFault();
            switch (fault == null ? Fault.NONE : fault) {
                case NONE -> {
                    if (freezeInNextWrite) {
                        freezeInNextWrite = false;
                        gate.close();
                        gate.pass();
                    }
                    sendBodies(batch);
                    InMemoryStore.this.write(batch, 1);
                    java.util.concurrent.CountDownLatch waiting = laterWrite;
                    if (waiting != null) {
                        waiting.countDown();
                    }
                }
                case DOWN -> throw new UserFacingException("ClickHouse at memory: connection refused");
                case PARTIAL -> {
                    InMemoryStore.this.write(batch, 0.5);
                    throw new UserFacingException("ClickHouse at memory: connection reset");
                }
                case LOST_ANSWER -> {
                    InMemoryStore.this.write(batch, 1);
                    throw new UserFacingException("ClickHouse at memory: did not answer in time");
                }
                case CRASH -> {
                    InMemoryStore.this.write(batch, 0.5);
                    gate.killed = true;
                    throw new Crash();
                }
                case TABLE_CHANGED -> throw new TableChanged("column a of memory is now Float64 (was UInt64)");
                case TABLE_GONE_AFTER_NEXT -> {
                    java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);
                    laterWrite = waiting;
                    try {
                        waiting.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new TableChanged("table memory is gone", true);
                }
            }
        }

        @Override
        public void checkStructure(TableLayout target) {
            check();
            if (alterBeforeNextCheck) {
                alterBeforeNextCheck = false;
                throw new TableChanged("column a of memory is gone");
            }
        }

        @Override
        public boolean targetExists() {
            check();
            return targetExists;
        }

        @Override
        public TableLayout reload() {
            check();
            reloads.incrementAndGet();
            return layout;
        }

        @Override
        public void awaitEnd(List<String> writeIds) {
            check();
        }

        @Override
        public TableLayout addColumn(TableLayout layout, String name, FieldType type) {
            check();
            return layout.withEvolved(name, type);
        }
    }

    /** Reads the batch's INSERT bodies to their end, as the HTTP client does: a body that fails its guard fails the write. */
    private static void sendBodies(Batch batch) {
        try (java.io.InputStream target = batch.targetData().stream();
             java.io.InputStream unparsed = batch.unparsedData().stream()) {
            target.transferTo(java.io.OutputStream.nullOutputStream());
            unparsed.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("ClickHouse at memory: the body broke off", e);
        }
    }
}
