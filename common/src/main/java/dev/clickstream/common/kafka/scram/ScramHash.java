package dev.clickstream.common.kafka.scram;

import java.util.Locale;
import java.util.Optional;

/** The hash of a SCRAM mechanism (RFC 5802, RFC 7677) as Kafka offers them: its JCA names and its key size. */
enum ScramHash {
    SHA_256("SCRAM-SHA-256", "HmacSHA256", "SHA-256", "PBKDF2WithHmacSHA256", 256),
    SHA_512("SCRAM-SHA-512", "HmacSHA512", "SHA-512", "PBKDF2WithHmacSHA512", 512);

    /** Kafka's brokers store at least 4096 iterations; fewer from a server would be a downgrade. */
    static final int MIN_ITERATIONS = 4096;

    final String mechanism;
    final String hmac;
    final String digest;
    final String pbkdf2;
    final int keyBits;

    ScramHash(String mechanism, String hmac, String digest, String pbkdf2, int keyBits) {
        this.mechanism = mechanism;
        this.hmac = hmac;
        this.digest = digest;
        this.pbkdf2 = pbkdf2;
        this.keyBits = keyBits;
    }

    static Optional<ScramHash> of(String mechanism) {
        for (ScramHash h : values()) {
            if (h.mechanism.equals(mechanism.toUpperCase(Locale.ROOT))) {
                return Optional.of(h);
            }
        }
        return Optional.empty();
    }
}
