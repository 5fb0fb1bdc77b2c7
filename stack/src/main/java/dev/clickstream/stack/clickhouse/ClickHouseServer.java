package dev.clickstream.stack.clickhouse;

import dev.clickstream.common.clickhouse.ClickHouse;
import dev.clickstream.common.clickhouse.ClickHouseEndpoint;
import dev.clickstream.stack.process.Deadline;
import dev.clickstream.stack.process.Ports;
import dev.clickstream.stack.process.ServiceProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ClickHouse server as a local process with a generated config: 127.0.0.1 only, user {@code admin}
 * with a password (stored as SHA-256), and the Kafka-engine settings that keep 18.16 from stalling on a
 * bad message or starting at the end of a topic.
 */
public final class ClickHouseServer {

    /** The server's ports on 127.0.0.1. */
    public record ServerPorts(int http, int tcp) {
        public static ServerPorts allocate() {
            return new ServerPorts(Ports.freePort(), Ports.freePort());
        }

        public List<Integer> all() {
            return List.of(http, tcp);
        }
    }

    /**
     * How the server's Kafka engine logs in to the broker, written into config.xml's {@code <kafka>} section
     * the way the demo's cloud ClickHouse carried SASL settings.
     */
    public record KafkaLogin(String securityProtocol, String mechanism, String user, String password) {
    }

    /**
     * This server's place in a local cluster: its macros, the ZooKeeper it replicates through, the port other
     * replicas fetch parts from, and every member's native port for remote_servers (shard by shard).
     */
    public record ClusterRole(String cluster, int shard, int replica, int interserverPort, int zookeeperPort,
                              List<List<Integer>> shardTcpPorts, String adminPassword) {
        String configXml() {
            StringBuilder shards = new StringBuilder();
            for (List<Integer> replicas : shardTcpPorts) {
                shards.append("            <shard>\n                <internal_replication>true</internal_replication>\n");
                for (int port : replicas) {
                    shards.append("""
                                            <replica>
                                                <host>127.0.0.1</host>
                                                <port>%d</port>
                                                <user>admin</user>
                                                <password>%s</password>
                                            </replica>
                            """.formatted(port, ClickHouseServer.xml(adminPassword)));
                }
                shards.append("            </shard>\n");
            }
            return """
                        <interserver_http_host>127.0.0.1</interserver_http_host>
                        <interserver_http_port>%d</interserver_http_port>
                        <macros>
                            <cluster>%s</cluster>
                            <shard>%d</shard>
                            <replica>s%dr%d</replica>
                        </macros>
                        <zookeeper>
                            <node>
                                <host>127.0.0.1</host>
                                <port>%d</port>
                            </node>
                        </zookeeper>
                        <distributed_ddl>
                            <path>/clickhouse/task_queue/ddl</path>
                        </distributed_ddl>
                        <remote_servers>
                            <%s>
                    %s        </%s>
                        </remote_servers>
                    """.formatted(interserverPort, cluster, shard, shard, replica, zookeeperPort, cluster, shards,
                    cluster);
        }
    }

    private final Path dir;
    private final String marker;
    private final ClickHouseBinary binary;

    public ClickHouseServer(Path dir, String marker, ClickHouseBinary binary) {
        this.dir = dir;
        this.marker = marker;
        this.binary = binary;
    }

    public Path logFile() {
        return dir.resolve("log").resolve("clickhouse-server.log");
    }

    public Path errorLogFile() {
        return dir.resolve("log").resolve("clickhouse-server.err.log");
    }

    public Path stdoutFile() {
        return dir.resolve("log").resolve("stdout.log");
    }

    private Path configFile() {
        return dir.resolve("config.xml");
    }

    /** Writes config.xml and users.xml (mode 0600: the Kafka password is in config.xml). */
    public void writeConfig(ServerPorts ports, String adminPassword, KafkaLogin kafka) {
        writeConfig(ports, adminPassword, kafka, null);
    }

    /** As a member of a local cluster when {@code role} is not null. */
    public void writeConfig(ServerPorts ports, String adminPassword, KafkaLogin kafka, ClusterRole role) {
        String root = binary.configRoot();
        String d = dir.toString();
        String config = """
                <?xml version="1.0"?>
                <!-- Generated by clickstream up; rewritten on every start. -->
                <%1$s>
                    <logger>
                        <level>information</level>
                        <log>%2$s/log/clickhouse-server.log</log>
                        <errorlog>%2$s/log/clickhouse-server.err.log</errorlog>
                        <size>100M</size>
                        <count>3</count>
                    </logger>
                    <listen_host>127.0.0.1</listen_host>
                    <http_port>%3$d</http_port>
                    <tcp_port>%4$d</tcp_port>
                    <path>%2$s/data/</path>
                    <tmp_path>%2$s/tmp/</tmp_path>
                    <user_files_path>%2$s/user_files/</user_files_path>
                    <format_schema_path>%2$s/format_schemas/</format_schema_path>
                    <users_config>users.xml</users_config>
                    <default_profile>default</default_profile>
                    <default_database>default</default_database>
                    <timezone>UTC</timezone>
                    <!-- files the server writes (preprocessed_configs holds the users' password hashes and the Kafka
                         password) are its owner's only: 0600, folders 0700 -->
                    <umask>077</umask>
                    <mark_cache_size>268435456</mark_cache_size>
                    <uncompressed_cache_size>268435456</uncompressed_cache_size>
                    <max_concurrent_queries>100</max_concurrent_queries>
                %9$s    <kafka>
                        <!-- Without this an engine table starts at the END of the topic. -->
                        <auto_offset_reset>smallest</auto_offset_reset>
                        <security_protocol>%5$s</security_protocol>
                        <sasl_mechanisms>%6$s</sasl_mechanisms>
                        <sasl_username>%7$s</sasl_username>
                        <sasl_password>%8$s</sasl_password>
                    </kafka>
                </%1$s>
                """.formatted(root, d, ports.http(), ports.tcp(), kafka.securityProtocol().toLowerCase(),
                kafka.mechanism(), xml(kafka.user()), xml(kafka.password()), role == null ? "" : role.configXml());
        // input_format_allow_errors_*: one malformed message otherwise stalls an 18.16 Kafka engine table for good.
        // The server reads them from the default profile only, at start-up. Our own inserts set them back to 0.
        String users = """
                <?xml version="1.0"?>
                <!-- Generated by clickstream up; rewritten on every start. -->
                <%1$s>
                    <profiles>
                        <default>
                            <input_format_allow_errors_num>1000000000</input_format_allow_errors_num>
                            <input_format_allow_errors_ratio>1</input_format_allow_errors_ratio>
                        </default>
                        <readonly>
                            <readonly>1</readonly>
                        </readonly>
                    </profiles>
                    <users>
                        <admin>
                            <password_sha256_hex>%2$s</password_sha256_hex>
                            <networks>
                                <ip>127.0.0.1</ip>
                                <ip>::1</ip>
                            </networks>
                            <profile>default</profile>
                            <quota>default</quota>
                        </admin>
                        <!-- reads only (dashboards, analytics): the admin's password, no INSERT, CREATE or ALTER -->
                        <reader>
                            <password_sha256_hex>%2$s</password_sha256_hex>
                            <networks>
                                <ip>127.0.0.1</ip>
                                <ip>::1</ip>
                            </networks>
                            <profile>readonly</profile>
                            <quota>default</quota>
                        </reader>
                    </users>
                    <quotas>
                        <default></default>
                    </quotas>
                </%1$s>
                """.formatted(root, sha256Hex(adminPassword));
        try {
            for (String sub : List.of("log", "data", "tmp", "user_files", "format_schemas")) {
                Files.createDirectories(dir.resolve(sub));
            }
            writePrivate(configFile(), config);
            writePrivate(dir.resolve("users.xml"), users);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ClickHouse config in " + dir, e);
        }
    }

    public ServiceProcess start() {
        List<String> cmd = new ArrayList<>(binary.command());
        cmd.add("--config-file=" + configFile());
        try {
            Files.createDirectories(stdoutFile().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ServiceProcess.start(cmd, dir, stdoutFile(), Map.of(), marker);
    }

    /** Waits for {@code /ping} and for the admin user to log in; returns a one-line reason on failure. */
    public Optional<String> awaitReady(ServiceProcess process, ServerPorts ports, String adminPassword, Deadline deadline) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        boolean pinged = deadline.until(Duration.ofMillis(100), () -> !process.isAlive() || ping(http, ports.http()));
        if (!process.isAlive()) {
            return Optional.of("the ClickHouse server exited during start-up");
        }
        if (!pinged) {
            return Optional.of("the ClickHouse server did not answer on 127.0.0.1:" + ports.http() + " within "
                    + deadline.total().toSeconds() + " s");
        }
        ClickHouseEndpoint endpoint = endpoint(ports, adminPassword);
        try (ClickHouse ch = ClickHouse.connect(endpoint)) {
            ch.version();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("ClickHouse is up but the admin user cannot log in: " + e.getMessage());
        }
    }

    public static ClickHouseEndpoint endpoint(ServerPorts ports, String adminPassword) {
        return new ClickHouseEndpoint("http://" + Ports.LOOPBACK + ":" + ports.http(), "admin", adminPassword,
                "default", null);
    }

    static boolean ping(HttpClient http, int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().startsWith("Ok.");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    static String sha256Hex(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
