package dev.clickstream.stack.tls;

import dev.clickstream.common.error.UserFacingException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private CA and a broker certificate for 127.0.0.1/localhost, made with the JDK's keytool so the
 * local stack can offer SASL_SSL the way the cloud clusters do. Created once per state folder.
 *
 * @param caPem          the CA certificate clients trust ({@code --ca-file})
 * @param brokerKeystore PKCS12 keystore with the broker's key and chain
 */
public record LocalCertificates(Path caPem, Path brokerKeystore, String keystorePassword) {
    /** The password reaches keytool through its environment, never its command line (visible in ps). */
    private static final String PASSWORD_ENV = "CLICKSTREAM_KEYSTORE_PASSWORD";

    public static LocalCertificates ensure(Path dir, String keystorePassword) {
        Path caPem = dir.resolve("ca.pem");
        Path brokerKeystore = dir.resolve("broker.p12");
        LocalCertificates certs = new LocalCertificates(caPem, brokerKeystore, keystorePassword);
        if (Files.isRegularFile(caPem) && Files.isRegularFile(brokerKeystore)) {
            ownerOnly(dir); // a folder made by an earlier release
            return certs;
        }
        try {
            Files.createDirectories(dir);
            Path caStore = dir.resolve("ca.p12");
            Path csr = dir.resolve("broker.csr");
            Path crt = dir.resolve("broker.crt");
            for (Path p : List.of(caStore, csr, crt, caPem, brokerKeystore)) {
                Files.deleteIfExists(p);
            }
            keytool(dir, keystorePassword, "-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=Clickstream local CA", "-ext", "bc:c", "-keystore", caStore.toString(),
                    "-storetype", "PKCS12", "-storepass:env", PASSWORD_ENV);
            keytool(dir, keystorePassword, "-exportcert", "-alias", "ca", "-rfc", "-keystore", caStore.toString(), "-storepass:env", PASSWORD_ENV,
                    "-file", caPem.toString());
            keytool(dir, keystorePassword, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                    "-dname", "CN=localhost", "-keystore", brokerKeystore.toString(), "-storetype", "PKCS12",
                    "-storepass:env", PASSWORD_ENV);
            keytool(dir, keystorePassword, "-certreq", "-alias", "broker", "-keystore", brokerKeystore.toString(), "-storepass:env", PASSWORD_ENV,
                    "-file", csr.toString());
            keytool(dir, keystorePassword, "-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass:env", PASSWORD_ENV,
                    "-infile", csr.toString(), "-outfile", crt.toString(), "-rfc", "-validity", "3650",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1");
            keytool(dir, keystorePassword, "-importcert", "-noprompt", "-alias", "ca", "-keystore", brokerKeystore.toString(),
                    "-storepass:env", PASSWORD_ENV, "-file", caPem.toString());
            keytool(dir, keystorePassword, "-importcert", "-noprompt", "-alias", "broker", "-keystore", brokerKeystore.toString(),
                    "-storepass:env", PASSWORD_ENV, "-file", crt.toString());
            Files.deleteIfExists(csr);
            ownerOnly(dir);
            return certs;
        } catch (IOException e) {
            throw new UserFacingException("cannot create the local TLS certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The keystores hold private keys: 0600, like the profile; the certificates stay readable. */
    private static void ownerOnly(Path dir) {
        for (String keystore : List.of("ca.p12", "broker.p12")) {
            Path file = dir.resolve(keystore);
            try {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
                }
            } catch (IOException e) {
                throw new UserFacingException("cannot restrict " + file + " to its owner: " + e.getMessage(), e);
            }
        }
    }

    private static void keytool(Path dir, String password, String... args) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(keytool.toString());
        cmd.add("-J-XX:TieredStopAtLevel=1");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put(PASSWORD_ENV, password);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new UserFacingException("keytool " + args[0] + " failed: "
                        + new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("interrupted while creating TLS certificates");
        }
    }
}
