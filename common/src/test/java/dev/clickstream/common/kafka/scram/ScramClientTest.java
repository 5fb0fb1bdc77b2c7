package dev.clickstream.common.kafka.scram;

import org.junit.jupiter.api.Test;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exchange of RFC 7677's SCRAM-SHA-256 example, message by message, and the ways a server can get it wrong. */
class ScramClientTest {
    private static final String NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static CallbackHandler login(String user, String password) {
        return (Callback[] callbacks) -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                }
            }
        };
    }

    private static ScramClient rfcClient(String password) {
        return new ScramClient(ScramHash.SHA_256, login("user", password), () -> NONCE);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_rfc_7677_exchange_gives_the_rfc_messages_and_accepts_the_servers_signature() throws Exception {
        ScramClient client = rfcClient("pencil");
        assertTrue(client.hasInitialResponse());
        assertEquals("n,,n=user,r=" + NONCE, new String(client.evaluateChallenge(new byte[0]), StandardCharsets.UTF_8));
        assertEquals(CLIENT_FINAL, new String(client.evaluateChallenge(bytes(SERVER_FIRST)), StandardCharsets.UTF_8));
        assertFalse(client.isComplete());
        assertNull(client.evaluateChallenge(bytes(SERVER_FINAL)));
        assertTrue(client.isComplete());
        assertArrayEquals(bytes("x"), client.wrap(bytes("x"), 0, 1));
    }

    @Test
    void a_second_exchange_with_the_same_password_and_salt_derives_nothing_new() throws Exception {
        exchange("pencil");
        int before = SaltedPasswords.derivations();
        exchange("pencil");
        assertEquals(before, SaltedPasswords.derivations(), "the SaltedPassword came from the cache");
        assertThrows(SaslException.class, () -> exchange("another password"),
                "another password derives its own key, and its proof gets the server's signature wrong");
        assertEquals(before + 1, SaltedPasswords.derivations());
    }

    private static void exchange(String password) throws SaslException {
        ScramClient client = rfcClient(password);
        client.evaluateChallenge(new byte[0]);
        client.evaluateChallenge(bytes(SERVER_FIRST));
        client.evaluateChallenge(bytes(SERVER_FINAL));
    }

    @Test
    void a_wrong_server_signature_an_error_a_foreign_nonce_or_few_iterations_end_the_exchange() throws Exception {
        ScramClient forged = rfcClient("pencil");
        forged.evaluateChallenge(new byte[0]);
        forged.evaluateChallenge(bytes(SERVER_FIRST));
        SaslException e = assertThrows(SaslException.class,
                () -> forged.evaluateChallenge(bytes("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertTrue(e.getMessage().contains("signature is wrong"), e.getMessage());
        assertFalse(forged.isComplete());

        ScramClient refused = rfcClient("pencil");
        refused.evaluateChallenge(new byte[0]);
        refused.evaluateChallenge(bytes(SERVER_FIRST));
        assertEquals("SCRAM-SHA-256 authentication failed: invalid-proof",
                assertThrows(SaslException.class, () -> refused.evaluateChallenge(bytes("e=invalid-proof")))
                        .getMessage());

        ScramClient foreign = rfcClient("pencil");
        foreign.evaluateChallenge(new byte[0]);
        assertThrows(SaslException.class, () -> foreign.evaluateChallenge(bytes(SERVER_FIRST.replace("rOpr", "xOpr"))));

        ScramClient weak = rfcClient("pencil");
        weak.evaluateChallenge(new byte[0]);
        assertTrue(assertThrows(SaslException.class, () -> weak.evaluateChallenge(bytes(SERVER_FIRST.replace("i=4096",
                "i=1")))).getMessage().contains("fewer than 4096"));
    }

    @Test
    void names_with_commas_and_equals_signs_are_escaped() {
        assertEquals("a=2Cb=3Dc", ScramClient.saslName("a,b=c"));
    }

    @Test
    void once_installed_it_is_the_client_java_finds_for_both_mechanisms() throws Exception {
        ScramProvider.install();
        ScramProvider.install();
        for (String mechanism : new String[] {"SCRAM-SHA-256", "SCRAM-SHA-512"}) {
            SaslClient client = Sasl.createSaslClient(new String[] {mechanism}, null, "kafka", "127.0.0.1", Map.of(),
                    login("u", "p"));
            assertInstanceOf(ScramClient.class, client);
            assertEquals(mechanism, client.getMechanismName());
        }
    }
}
