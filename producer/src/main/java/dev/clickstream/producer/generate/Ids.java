package dev.clickstream.producer.generate;

/** Bit mixing for ids and seeds. */
final class Ids {
    private Ids() {
    }

    /**
     * SplitMix64's finalizer: a bijection on 64-bit values, so distinct counters give distinct ids that
     * still look random and use the whole unsigned range (half of them above 2^63).
     */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
