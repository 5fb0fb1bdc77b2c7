package dev.clickstream.producer.generate;

/**
 * The sessions ordered by the time of their next event: a 4-ary min-heap over two flat arrays, because the
 * generator takes the earliest session for every event and a heap of objects would chase pointers.
 */
final class SessionQueue {
    private final long[] times;
    private final int[] slots;

    /** Builds the queue over session slots {@code 0..n-1} whose next events happen at {@code times[slot]}. */
    SessionQueue(long[] initialTimes) {
        int n = initialTimes.length;
        times = initialTimes.clone();
        slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = i;
        }
        for (int i = (n - 2) / 4; i >= 0; i--) {
            siftDown(i);
        }
    }

    int earliestSlot() {
        return slots[0];
    }

    long earliestTime() {
        return times[0];
    }

    /** The earliest session's next event is now at {@code time}: move it to its place. */
    void rescheduleEarliest(long time) {
        times[0] = time;
        siftDown(0);
    }

    private void siftDown(int index) {
        int n = times.length;
        long time = times[index];
        int slot = slots[index];
        while (true) {
            int first = 4 * index + 1;
            if (first >= n) {
                break;
            }
            int best = first;
            long bestTime = times[first];
            int last = Math.min(first + 4, n);
            for (int child = first + 1; child < last; child++) {
                if (times[child] < bestTime) {
                    best = child;
                    bestTime = times[child];
                }
            }
            if (bestTime >= time) {
                break;
            }
            times[index] = bestTime;
            slots[index] = slots[best];
            index = best;
        }
        times[index] = time;
        slots[index] = slot;
    }
}
