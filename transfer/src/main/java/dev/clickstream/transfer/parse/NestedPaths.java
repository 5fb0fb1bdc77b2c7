package dev.clickstream.transfer.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nested paths read out of one top-level value: where each path's value sits (through objects, and through a
 * string that holds a JSON object, as {@code {"f1":"{\"f2\":\"x\"}"}} with {@code f1.f2}), and what of the value
 * is left for {@code _rest} once the values read into columns are taken out of it.
 */
final class NestedPaths {
    /** The paths consumed so far, as a tree of steps; a step mapped to {@link #TAKEN} was read whole. */
    private final Map<String, Object> consumed = new HashMap<>();
    private static final Object TAKEN = new Object();
    private final ObjectMapper trees;

    NestedPaths(ObjectMapper trees) {
        this.trees = trees;
    }

    void reset() {
        consumed.clear();
    }

    /** The value at {@code path} (its first step is the top-level name, already taken), or null when there is none. */
    JsonNode find(JsonNode top, List<String> path) {
        JsonNode at = top;
        for (int k = 1; k < path.size() && at != null; k++) {
            at = objectOf(at);
            at = at == null ? null : at.get(path.get(k));
        }
        return at == null || at.isMissingNode() ? null : at;
    }

    /** Marks the value at the path as read into its column: it leaves the remainder. */
    @SuppressWarnings("unchecked")
    void consumed(List<String> path) {
        Map<String, Object> level = consumed;
        for (int k = 1; k < path.size(); k++) {
            Object next = level.get(path.get(k));
            if (next == TAKEN) {
                return;
            }
            if (k == path.size() - 1) {
                level.put(path.get(k), TAKEN);
                return;
            }
            if (next == null) {
                next = new HashMap<String, Object>();
                level.put(path.get(k), next);
            }
            level = (Map<String, Object>) next;
        }
    }

    /**
     * What {@code _rest} keeps of the value: the value without what was consumed, objects emptied by that left
     * out; null when nothing is left. A string that holds JSON is kept whole unless all of it was consumed: the
     * producer's text is never rewritten.
     */
    JsonNode remainder(JsonNode top) {
        if (consumed.isEmpty()) {
            return top;
        }
        JsonNode copy = top.deepCopy();
        return remove(copy, consumed) ? null : copy;
    }

    /** Removes the consumed steps from the node; true when that left nothing of it. */
    @SuppressWarnings("unchecked")
    private boolean remove(JsonNode node, Map<String, Object> steps) {
        ObjectNode object;
        boolean inString = node.isTextual();
        if (node instanceof ObjectNode o) {
            object = o;
        } else if (inString && objectOf(node) instanceof ObjectNode parsed) {
            object = parsed;
        } else {
            return false;
        }
        for (var step : steps.entrySet()) {
            JsonNode child = object.get(step.getKey());
            if (child == null) {
                continue;
            }
            if (step.getValue() == TAKEN || remove(child, (Map<String, Object>) step.getValue())) {
                object.remove(step.getKey());
            }
        }
        return object.isEmpty();
    }

    /** The node as an object to step into: itself, the object a string holds, or null. */
    private JsonNode objectOf(JsonNode node) {
        if (node.isObject()) {
            return node;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            int i = 0;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i < text.length() && text.charAt(i) == '{') {
                try {
                    JsonNode parsed = trees.readTree(text);
                    return parsed != null && parsed.isObject() ? parsed : null;
                } catch (JsonProcessingException e) {
                    return null; // a string that only looks like JSON is a string
                }
            }
        }
        return null;
    }
}
