package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ConnectionProfile;
import dev.clickstream.common.profile.ProfileStore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Turns the modules' {@code clickstream_profile} output into the connection profile the tools read. A
 * connection may carry its CA as PEM text ({@code ca_cert}, Aiven's project CA): it is written to a
 * bundle file that the profile names in {@code ca_file}, since clients take a file.
 */
final class CloudProfiles {
    static final String OUTPUT = "clickstream_profile";
    private static final List<String> CONNECTIONS = List.of("kafka_connection", "clickhouse_connection");

    private CloudProfiles() {
    }

    static ConnectionProfile fromOutputs(TerraformOutputs outputs, CloudWorkspace workspace) {
        if (!outputs.sensitive(OUTPUT)) {
            throw new UserFacingException("terraform output " + OUTPUT + " is not marked sensitive: it holds passwords;"
                    + " refusing to use a module that would print them");
        }
        JsonNode value = outputs.value(OUTPUT);
        if (!value.isObject()) {
            throw new UserFacingException("terraform output " + OUTPUT + " is not an object");
        }
        ObjectNode profile = ((ObjectNode) value).deepCopy();
        String target = profile.path("target").asText(workspace.cloud().target());
        if (!target.equals(workspace.cloud().target())) {
            throw new UserFacingException("terraform output " + OUTPUT + ".target is '" + target + "', expected '"
                    + workspace.cloud().target() + "': --terraform-dir points at another cloud's module");
        }
        profile.put("target", target);

        Set<String> pems = new LinkedHashSet<>();
        for (String name : CONNECTIONS) {
            JsonNode connection = profile.path(name);
            String pem = connection.path("ca_cert").asText("");
            if (connection.isObject() && !pem.isBlank()) {
                certificates(pem, OUTPUT + "." + name + ".ca_cert");
                pems.add(pem.strip());
                ((ObjectNode) connection).remove("ca_cert");
                ((ObjectNode) connection).put("ca_file", workspace.caBundle().toString());
            }
        }
        if (pems.isEmpty()) {
            workspace.forgetProfileFiles();
        } else {
            workspace.writePrivate(workspace.caBundle(), caBundle(pems));
        }

        ConnectionProfile result;
        try {
            result = ProfileStore.mapper().treeToValue(profile, ConnectionProfile.class);
        } catch (JsonProcessingException e) {
            // The field's path only: a value in the message could be a password.
            String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                    ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(java.util.stream.Collectors.joining(".")) : "";
            throw new UserFacingException("terraform output " + OUTPUT + " is not a connection profile"
                    + (path.isEmpty() ? "" : ": " + path + " has the wrong type"));
        }
        List<String> problems = result.problems();
        if (!problems.isEmpty()) {
            throw new UserFacingException("terraform output " + OUTPUT + ": " + String.join("; ", problems));
        }
        return result;
    }

    /**
     * The given CAs first, then the JVM's trusted ones. Aiven signs Kafka's certificates with the project CA,
     * while an HTTPS endpoint may present a publicly trusted certificate: the bundle verifies both, and
     * nothing the JVM would not trust besides the given CAs.
     */
    static String caBundle(Set<String> pems) {
        StringBuilder bundle = new StringBuilder();
        pems.forEach(pem -> bundle.append(pem).append('\n'));
        for (X509Certificate ca : systemCas()) {
            bundle.append(pem(ca));
        }
        return bundle.toString();
    }

    private static List<Certificate> certificates(String pem, String path) {
        try {
            List<Certificate> certs = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
            if (certs.isEmpty()) {
                throw new UserFacingException(path + " holds no certificate");
            }
            return certs;
        } catch (GeneralSecurityException e) {
            throw new UserFacingException(path + " is not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> systemCas() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            List<X509Certificate> cas = new ArrayList<>();
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    cas.addAll(List.of(x509.getAcceptedIssuers()));
                }
            }
            return cas;
        } catch (GeneralSecurityException e) {
            throw new UserFacingException("cannot read the JVM's trusted CAs: " + e.getMessage(), e);
        }
    }

    private static String pem(X509Certificate cert) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new UserFacingException("cannot encode the trusted CA " + cert.getSubjectX500Principal(), e);
        }
    }
}
