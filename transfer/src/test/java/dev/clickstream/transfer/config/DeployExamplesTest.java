package dev.clickstream.transfer.config;

import dev.clickstream.common.cli.Cli;
import dev.clickstream.transfer.TransferCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParseResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/'s systemd unit and Kubernetes manifest run the transfer with flags and a config it accepts. */
class DeployExamplesTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void the_kubernetes_config_map_secret_and_deployment_fit_together() throws Exception {
        Map<String, JsonNode> byKind = new HashMap<>();
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(DEPLOY.resolve("kubernetes/transfer.yaml")
                .toFile())) {
            docs.forEachRemaining(d -> byKind.put(d.get("kind").asText(), d));
        }
        assertEquals(List.of("ConfigMap", "Deployment", "Secret"), byKind.keySet().stream().sorted().toList());

        Path config = dir.resolve("transfer.yaml");
        Files.writeString(config, byKind.get("ConfigMap").get("data").get("transfer.yaml").asText());
        Map<String, String> secret = new HashMap<>();
        byKind.get("Secret").get("stringData").fields().forEachRemaining(e -> secret.put(e.getKey(), e.getValue().asText()));
        TransferConfig cfg = ConfigLoader.load(config, secret::get);
        assertEquals("change-me", cfg.target().connection().password());
        assertEquals("0.0.0.0", cfg.http().hostOrDefault(), "probes and scrapes come from outside the pod");

        JsonNode pod = byKind.get("Deployment").get("spec").get("template");
        JsonNode container = pod.get("spec").get("containers").get(0);
        List<String> args = new ArrayList<>();
        container.get("args").forEach(a -> args.add(a.asText().replace("$(POD_NAME)", "transfer-0")));
        assertEquals("/etc/clickstream/transfer.yaml", parse(args).matchedOptionValue("--config", null).toString());
        assertEquals("/etc/clickstream", container.get("volumeMounts").get(0).get("mountPath").asText());
        int port = cfg.http().port();
        assertEquals(port, container.get("ports").get(0).get("containerPort").asInt());
        assertEquals(Integer.toString(port), pod.get("metadata").get("annotations").get("prometheus.io/port").asText());
        assertEquals("/healthz", container.get("readinessProbe").get("httpGet").get("path").asText());
        assertEquals("/metrics", container.get("livenessProbe").get("httpGet").get("path").asText());
        assertTrue(pod.get("spec").get("terminationGracePeriodSeconds").asInt() > 25,
                "the grace period must cover the 25 s the transfer takes to write its last batch");
    }

    @Test
    void the_systemd_unit_runs_the_jar_with_the_recommended_jvm_options_and_valid_flags() throws Exception {
        String unit = Files.readString(DEPLOY.resolve("systemd/clickstream-transfer@.service"));
        String exec = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length()).replace("%i", "1").replace("%H", "host");
        List<String> words = List.of(exec.split(" +"));
        int jar = words.indexOf("-jar");
        assertEquals(TransferCommand.JVM_OPTIONS, words.subList(1, jar));
        ParseResult parsed = parse(words.subList(jar + 2, words.size()));
        assertEquals(9101, (int) parsed.matchedOptionValue("--http-port", 0));
        assertEquals("host-1", parsed.matchedOptionValue("--instance", ""));
        int stop = Integer.parseInt(unit.lines().filter(l -> l.startsWith("TimeoutStopSec=")).findFirst().orElseThrow()
                .substring("TimeoutStopSec=".length()));
        assertTrue(stop > 25, "TimeoutStopSec must cover the 25 s the transfer takes to write its last batch");
    }

    private static ParseResult parse(List<String> args) {
        return Cli.commandLine(new TransferCommand()).parseArgs(args.toArray(String[]::new));
    }
}
