package dev.clickstream.common.kafka;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaEndpointTest {
    @Test
    void should_configure_scram_over_tls_with_a_pem_ca() {
        Properties p = new KafkaEndpoint("h:9091", "sasl_ssl", null, "admin", "pa\"ss", "/tmp/ca.pem")
                .clientProperties();
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" "
                + "password=\"pa\\\"ss\";", p.get("sasl.jaas.config"));
        assertEquals("PEM", p.get("ssl.truststore.type"));
        assertEquals("/tmp/ca.pem", p.get("ssl.truststore.location"));
    }

    @Test
    void should_use_system_cas_without_a_ca_file_and_no_sasl_for_plaintext() {
        Properties tls = new KafkaEndpoint("h:9091", "SASL_SSL", null, "u", "p", null).clientProperties();
        assertNull(tls.get("ssl.truststore.location"));
        Properties plain = KafkaEndpoint.plaintext("h:9092").clientProperties();
        assertNull(plain.get("sasl.jaas.config"));
        assertEquals("PLAINTEXT", plain.get("security.protocol"));
    }

    @Test
    void should_never_show_the_password_when_described() {
        KafkaEndpoint e = new KafkaEndpoint("h:9091", "SASL_SSL", null, "admin", "topsecret", null);
        assertFalse(e.describe().contains("topsecret"));
        assertFalse(e.toString().contains("topsecret"));
        assertTrue(e.describe().contains("admin"));
    }
}
