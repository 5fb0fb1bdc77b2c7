package dev.clickstream.common.profile;

import java.security.SecureRandom;

/** Generated passwords and the masked form in which secrets may appear in output. */
public final class Secrets {
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** A random password of letters and digits only, so it needs no quoting in JAAS, XML or shells. */
    public static String generatePassword(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Shows at most the first two characters: enough to tell two secrets apart, not enough to use one. */
    public static String mask(String secret) {
        if (secret == null || secret.isEmpty()) {
            return "(none)";
        }
        return secret.substring(0, Math.min(2, secret.length() / 4)) + "*".repeat(8);
    }
}
