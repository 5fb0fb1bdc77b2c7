package dev.clickstream.provisioner.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * The test resource fake-terraform.sh installed as an executable {@code terraform} in a folder of its own,
 * with the outputs it answers in the format of {@code terraform output -json}.
 */
final class StandInTerraform {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    StandInTerraform(Path dir) {
        this.dir = dir;
        try (InputStream script = StandInTerraform.class.getResourceAsStream("fake-terraform.sh")) {
            Files.write(binary(), script.readAllBytes());
            Files.setPosixFilePermissions(binary(), PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path binary() {
        return dir.resolve("terraform");
    }

    /** Each output as terraform prints it: {"name": {"sensitive": ..., "type": ..., "value": ...}}. */
    void answerOutputs(Map<String, JsonNode> sensitiveOutputs, Map<String, JsonNode> plainOutputs) {
        ObjectNode root = JSON.createObjectNode();
        sensitiveOutputs.forEach((name, value) -> root.set(name, output(true, value)));
        plainOutputs.forEach((name, value) -> root.set(name, output(false, value)));
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("outputs.json").toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void failOn(String subcommand) {
        try {
            Files.writeString(dir.resolve("fail-" + subcommand), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line per call: TF_DATA_DIR=..., then [arg] [arg] ... */
    List<String> calls() {
        Path log = dir.resolve("calls.log");
        try {
            return Files.isRegularFile(log) ? Files.readAllLines(log) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> callsOf(String subcommand) {
        return calls().stream().filter(c -> c.contains(" [" + subcommand + "]")).toList();
    }

    private static ObjectNode output(boolean sensitive, JsonNode value) {
        ObjectNode o = JSON.createObjectNode();
        o.put("sensitive", sensitive);
        o.set("type", typeOf(value));
        o.set("value", value);
        return o;
    }

    /** Terraform's type notation: "string", "number", "bool", ["object", {attribute: type}]. */
    private static JsonNode typeOf(JsonNode value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value.isObject()) {
            ObjectNode attributes = f.objectNode();
            value.fields().forEachRemaining(e -> attributes.set(e.getKey(), typeOf(e.getValue())));
            ArrayNode type = f.arrayNode();
            type.add("object");
            type.add(attributes);
            return type;
        }
        if (value.isNumber()) {
            return f.textNode("number");
        }
        if (value.isBoolean()) {
            return f.textNode("bool");
        }
        return f.textNode("string");
    }
}
