package dev.clickstream.provisioner.cloud;

import dev.clickstream.common.error.UserFacingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * The answer of {@code terraform output -json}: one member per output,
 * {@code {"name": {"sensitive": bool, "type": <type>, "value": <value>}}}.
 */
final class TerraformOutputs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonNode root;

    private TerraformOutputs(JsonNode root) {
        this.root = root;
    }

    static TerraformOutputs parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Only the position: the text holds passwords.
            throw new UserFacingException("terraform output -json is not JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new UserFacingException("terraform output -json did not answer with an object of outputs");
        }
        return new TerraformOutputs(root);
    }

    boolean has(String name) {
        return root.path(name).has("value");
    }

    /** An output's value; a missing one is named with the modules that have it. */
    JsonNode value(String name) {
        if (!has(name)) {
            throw new UserFacingException("terraform has no output '" + name + "': is --terraform-dir one of"
                    + " clickstream's modules (terraform/aiven, terraform/doublecloud), and did apply finish?");
        }
        return root.get(name).get("value");
    }

    boolean sensitive(String name) {
        return root.path(name).path("sensitive").asBoolean(false);
    }
}
