package dev.clickstream.transfer.batch;

/** Epoch microseconds as a DateTime64 of some scale counts them: ticks of 10^-scale seconds. */
final class TimeTicks {
    private TimeTicks() {
    }

    static long of(long micros, int scale) {
        long v = micros;
        for (int s = scale; s < 6; s++) {
            v = Math.floorDiv(v, 10L);
        }
        for (int s = 6; s < scale; s++) {
            v *= 10;
        }
        return v;
    }
}
