package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import dev.clickstream.common.profile.ConnectionProfile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CloudProfilesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    /** Some real CA certificate, standing in for Aiven's project CA. */
    private static final String PROJECT_CA = firstCertificate(CloudProfiles.caBundle(Set.of()));

    @Test
    void should_turn_ca_cert_into_a_private_bundle_named_by_ca_file() throws Exception {
        CloudWorkspace workspace = new CloudWorkspace(stateDir, Cloud.aiven);
        ConnectionProfile profile = CloudProfiles.fromOutputs(outputs(aivenProfile(), true), workspace);

        assertEquals("aiven", profile.target());
        assertEquals("kafka.example:24949", profile.kafkaConnection().connectionString());
        assertEquals(workspace.caBundle().toString(), profile.kafkaConnection().caFile());
        assertEquals(workspace.caBundle().toString(), profile.clickhouseConnection().caFile());
        assertEquals(Integer.valueOf(443), profile.clickhouseConnection().httpsPort());
        assertEquals("https://ch.example:443", profile.clickhouseConnection().url());
        String bundle = Files.readString(workspace.caBundle());
        assertTrue(bundle.startsWith(PROJECT_CA.strip() + "\n"), "the project CA first, once");
        assertTrue(bundle.indexOf("BEGIN CERTIFICATE", 10) > 0, "then the JVM's trusted CAs");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(workspace.caBundle())));
    }

    @Test
    void should_need_no_ca_file_without_ca_cert() {
        ObjectNode value = aivenProfile();
        ((ObjectNode) value.get("kafka_connection")).remove("ca_cert");
        ((ObjectNode) value.get("clickhouse_connection")).remove("ca_cert");
        value.remove("target");
        CloudWorkspace workspace = new CloudWorkspace(stateDir, Cloud.doublecloud);
        ConnectionProfile profile = CloudProfiles.fromOutputs(outputs(value, true), workspace);
        assertEquals("doublecloud", profile.target(), "a missing target is the cloud's");
        assertNull(profile.kafkaConnection().caFile());
        assertFalse(Files.exists(workspace.caBundle()));
    }

    @Test
    void should_refuse_an_output_that_would_print_passwords() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> CloudProfiles.fromOutputs(outputs(aivenProfile(), false), new CloudWorkspace(stateDir, Cloud.aiven)));
        assertTrue(e.getMessage().contains("not marked sensitive"), e.getMessage());
    }

    @Test
    void should_name_the_field_that_is_wrong_but_never_its_value() {
        ObjectNode value = aivenProfile();
        ((ObjectNode) value.get("kafka_connection")).remove("user");
        UserFacingException missing = assertThrows(UserFacingException.class,
                () -> CloudProfiles.fromOutputs(outputs(value, true), new CloudWorkspace(stateDir, Cloud.aiven)));
        assertEquals("terraform output clickstream_profile: kafka_connection.user: missing", missing.getMessage());

        ObjectNode badPort = aivenProfile();
        ((ObjectNode) badPort.get("clickhouse_connection")).put("https_port", "secret-looking");
        UserFacingException type = assertThrows(UserFacingException.class,
                () -> CloudProfiles.fromOutputs(outputs(badPort, true), new CloudWorkspace(stateDir, Cloud.aiven)));
        assertTrue(type.getMessage().contains("clickhouse_connection.https_port has the wrong type"), type.getMessage());
        assertFalse(type.getMessage().contains("secret-looking"), type.getMessage());

        ObjectNode badCa = aivenProfile();
        ((ObjectNode) badCa.get("kafka_connection")).put("ca_cert", "not a certificate");
        UserFacingException ca = assertThrows(UserFacingException.class,
                () -> CloudProfiles.fromOutputs(outputs(badCa, true), new CloudWorkspace(stateDir, Cloud.aiven)));
        assertTrue(ca.getMessage().startsWith("clickstream_profile.kafka_connection.ca_cert"), ca.getMessage());
    }

    @Test
    void should_refuse_another_clouds_module() {
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> CloudProfiles.fromOutputs(outputs(aivenProfile(), true), new CloudWorkspace(stateDir, Cloud.doublecloud)));
        assertTrue(e.getMessage().contains("target is 'aiven', expected 'doublecloud'"), e.getMessage());
    }

    @Test
    void should_explain_outputs_that_are_not_terraforms() {
        UserFacingException notJson = assertThrows(UserFacingException.class,
                () -> TerraformOutputs.parse("{\"clickstream_profile\": {\"value\": {\"password\": \"hunter2"));
        assertFalse(notJson.getMessage().contains("hunter2"), notJson.getMessage());
        UserFacingException missing = assertThrows(UserFacingException.class,
                () -> TerraformOutputs.parse("{}").value("clickstream_profile"));
        assertTrue(missing.getMessage().contains("--terraform-dir"), missing.getMessage());
    }

    private static ObjectNode aivenProfile() {
        ObjectNode value = JSON.createObjectNode();
        value.put("target", "aiven");
        ObjectNode kafka = value.putObject("kafka_connection");
        kafka.put("connection_string", "kafka.example:24949");
        kafka.put("user", "clickstream");
        kafka.put("password", "kafka-secret");
        kafka.put("security_protocol", "SASL_SSL");
        kafka.put("sasl_mechanism", "SCRAM-SHA-512");
        kafka.put("ca_cert", PROJECT_CA);
        ObjectNode ch = value.putObject("clickhouse_connection");
        ch.put("host", "ch.example");
        ch.put("https_port", 443);
        ch.put("tcp_port_secure", 24947);
        ch.put("user", "avnadmin");
        ch.put("password", "ch-secret");
        ch.put("database", "default");
        ch.put("ca_cert", PROJECT_CA);
        value.put("topic", "clickhouse-events");
        return value;
    }

    private static TerraformOutputs outputs(ObjectNode profile, boolean sensitive) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode output = root.putObject(CloudProfiles.OUTPUT);
        output.put("sensitive", sensitive);
        output.putArray("type").add("object").addObject();
        output.set("value", profile);
        return TerraformOutputs.parse(root.toString());
    }

    private static String firstCertificate(String bundle) {
        String end = "-----END CERTIFICATE-----";
        return bundle.substring(0, bundle.indexOf(end) + end.length()) + "\n";
    }
}
