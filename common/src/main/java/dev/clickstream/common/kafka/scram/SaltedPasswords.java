package dev.clickstream.common.kafka.scram;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SCRAM's SaltedPassword, Hi(password, salt, i), derived once per process for each password, salt and iteration
 * count. Every connection to a broker authenticates anew, a client opens several (bootstrap, coordinator, each
 * broker) and each derivation is thousands of HMACs: Kafka's own client derives it every time. The broker's salt
 * and count for a user stay the same until its credential changes, and a changed one simply misses the cache.
 * The password itself is kept only as a SHA-256 in the key.
 */
final class SaltedPasswords {
    private static final int CAPACITY = 16;

    private record Key(ScramHash hash, ByteBuffer passwordDigest, ByteBuffer salt, int iterations) {
    }

    private static final Map<Key, byte[]> DERIVED = new LinkedHashMap<>(CAPACITY, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };
    private static final AtomicInteger DERIVATIONS = new AtomicInteger();

    private SaltedPasswords() {
    }

    /** Hi(password, salt, iterations): PBKDF2 with the mechanism's HMAC and one block, which is what RFC 5802 defines. */
    static byte[] of(ScramHash hash, char[] password, byte[] salt, int iterations) throws GeneralSecurityException {
        Key key = new Key(hash, ByteBuffer.wrap(sha256(password)), ByteBuffer.wrap(salt.clone()), iterations);
        synchronized (DERIVED) {
            byte[] known = DERIVED.get(key);
            if (known != null) {
                return known.clone();
            }
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, hash.keyBits);
        try {
            byte[] derived = SecretKeyFactory.getInstance(hash.pbkdf2).generateSecret(spec).getEncoded();
            DERIVATIONS.incrementAndGet();
            synchronized (DERIVED) {
                DERIVED.put(key, derived.clone());
            }
            return derived;
        } finally {
            spec.clearPassword();
        }
    }

    /** How many derivations this process has computed (not taken from the cache). */
    static int derivations() {
        return DERIVATIONS.get();
    }

    private static byte[] sha256(char[] password) throws GeneralSecurityException {
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[utf8.remaining()];
        utf8.get(bytes);
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
