package dev.clickstream.common.kafka.scram;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The client side of a SCRAM exchange (RFC 5802) without channel binding, as Kafka's brokers speak it: client-first,
 * server-first (nonce, salt, iterations), client-final with the proof, server-final with the server's signature,
 * which is checked. The costly SaltedPassword comes from {@link SaltedPasswords}, once per process.
 */
final class ScramClient implements SaslClient {
    private enum Step { CLIENT_FIRST, SERVER_FIRST, SERVER_FINAL, COMPLETE, FAILED }

    private static final String GS2_HEADER = "n,,";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScramHash hash;
    private final CallbackHandler callbacks;
    private final Supplier<String> nonces;
    private Step step = Step.CLIENT_FIRST;
    private String clientNonce;
    private String clientFirstBare;
    private byte[] saltedPassword;
    private String authMessage;

    ScramClient(ScramHash hash, CallbackHandler callbacks) {
        this(hash, callbacks, ScramClient::randomNonce);
    }

    /** @param nonces the client nonce of each exchange; random but in the RFC's test vectors */
    ScramClient(ScramHash hash, CallbackHandler callbacks, Supplier<String> nonces) {
        this.hash = hash;
        this.callbacks = callbacks;
        this.nonces = nonces;
    }

    @Override
    public String getMechanismName() {
        return hash.mechanism;
    }

    @Override
    public boolean hasInitialResponse() {
        return true;
    }

    @Override
    public byte[] evaluateChallenge(byte[] challenge) throws SaslException {
        try {
            return switch (step) {
                case CLIENT_FIRST -> clientFirst();
                case SERVER_FIRST -> clientFinal(new String(challenge, StandardCharsets.UTF_8));
                case SERVER_FINAL -> verify(new String(challenge, StandardCharsets.UTF_8));
                default -> throw new SaslException(hash.mechanism + ": no challenge expected after the exchange ended");
            };
        } catch (SaslException e) {
            step = Step.FAILED;
            throw e;
        }
    }

    private byte[] clientFirst() throws SaslException {
        NameCallback name = new NameCallback("Name:");
        handle(name);
        clientNonce = nonces.get();
        clientFirstBare = "n=" + saslName(name.getName()) + ",r=" + clientNonce;
        step = Step.SERVER_FIRST;
        return (GS2_HEADER + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] clientFinal(String serverFirst) throws SaslException {
        Map<String, String> attributes = attributes(serverFirst);
        String nonce = attributes.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new SaslException(hash.mechanism + ": the server's nonce does not extend ours");
        }
        int iterations;
        byte[] salt;
        try {
            iterations = Integer.parseInt(attributes.getOrDefault("i", ""));
            salt = Base64.getDecoder().decode(attributes.getOrDefault("s", ""));
        } catch (IllegalArgumentException e) {
            throw new SaslException(hash.mechanism + ": malformed server-first message", e);
        }
        if (iterations < ScramHash.MIN_ITERATIONS) {
            throw new SaslException(hash.mechanism + ": the server asks for " + iterations + " iterations, fewer than "
                    + ScramHash.MIN_ITERATIONS);
        }
        PasswordCallback password = new PasswordCallback("Password:", false);
        handle(password);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        try {
            char[] secret = password.getPassword();
            saltedPassword = SaltedPasswords.of(hash, secret == null ? new char[0] : secret, salt, iterations);
            password.clearPassword();
            byte[] clientKey = hmac(saltedPassword, "Client Key");
            byte[] storedKey = MessageDigest.getInstance(hash.digest).digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            step = Step.SERVER_FINAL;
            return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SaslException(hash.mechanism + ": cannot compute the client proof", e);
        }
    }

    private byte[] verify(String serverFinal) throws SaslException {
        Map<String, String> attributes = attributes(serverFinal);
        if (attributes.containsKey("e")) {
            throw new SaslException(hash.mechanism + " authentication failed: " + attributes.get("e"));
        }
        try {
            byte[] expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
            byte[] given = Base64.getDecoder().decode(attributes.getOrDefault("v", ""));
            if (!MessageDigest.isEqual(expected, given)) {
                throw new SaslException(hash.mechanism + ": the server's signature is wrong (not the broker we expect)");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SaslException(hash.mechanism + ": cannot check the server's signature", e);
        } finally {
            Arrays.fill(saltedPassword, (byte) 0);
        }
        step = Step.COMPLETE;
        return null;
    }

    private byte[] hmac(byte[] key, String message) throws GeneralSecurityException {
        Mac mac = Mac.getInstance(hash.hmac);
        mac.init(new SecretKeySpec(key, hash.hmac));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }

    private void handle(Callback callback) throws SaslException {
        try {
            callbacks.handle(new Callback[] {callback});
        } catch (Exception e) {
            throw new SaslException(hash.mechanism + ": the user name or password could not be obtained", e);
        }
    }

    /** RFC 5802's saslname: '=' and ',' are escaped. */
    static String saslName(String user) {
        return (user == null ? "" : user).replace("=", "=3D").replace(",", "=2C");
    }

    /** {@code a=1,b=2} into its attributes; a value may itself hold '=' (base64). */
    private static Map<String, String> attributes(String message) {
        Map<String, String> out = new HashMap<>();
        for (String part : message.split(",")) {
            int eq = part.indexOf('=');
            if (eq == 1) {
                out.putIfAbsent(part.substring(0, 1), part.substring(2));
            }
        }
        return out;
    }

    private static String randomNonce() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public boolean isComplete() {
        return step == Step.COMPLETE;
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) {
        return noSecurityLayer(incoming, offset, len);
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) {
        return noSecurityLayer(outgoing, offset, len);
    }

    /** SCRAM negotiates no security layer: bytes pass as they are, once the exchange is complete. */
    private byte[] noSecurityLayer(byte[] bytes, int offset, int len) {
        if (!isComplete()) {
            throw new IllegalStateException("the SCRAM exchange has not completed");
        }
        return Arrays.copyOfRange(bytes, offset, offset + len);
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        if (!isComplete()) {
            throw new IllegalStateException("the SCRAM exchange has not completed");
        }
        return null;
    }

    @Override
    public void dispose() {
    }
}
