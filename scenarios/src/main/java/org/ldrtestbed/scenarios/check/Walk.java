package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiConsumer;

/** Visiting a journey's tree with the JSON pointer of each node (the key every position is found by). */
final class Walk {

    private Walk() {}

    /** Every string at or below {@code node}, with its pointer. */
    static void strings(JsonNode node, String pointer, BiConsumer<String, String> visitor) {
        if (node.isTextual()) {
            visitor.accept(pointer, node.asText());
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                strings(field.getValue(), pointer + "/" + YamlDocument.escape(field.getKey()), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                strings(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }

    /** Every object at or below {@code node} with the given field, not looking inside the ones found. */
    static void objectsWith(JsonNode node, String pointer, String field, BiConsumer<String, JsonNode> visitor) {
        if (node.isObject()) {
            if (node.has(field)) {
                visitor.accept(pointer, node);
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                objectsWith(f.getValue(), pointer + "/" + YamlDocument.escape(f.getKey()), field, visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                objectsWith(node.get(i), pointer + "/" + i, field, visitor);
            }
        }
    }

    /** Every assertion's {@code field} ({@code query}, {@code where}) that is a string, with its pointer. */
    static void assertionStrings(JsonNode root, String field, BiConsumer<String, String> visitor) {
        JsonNode steps = root.path("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode sees = steps.get(i).path("sees");
            for (int j = 0; j < sees.size(); j++) {
                JsonNode value = sees.get(j).path(field);
                if (value.isTextual()) {
                    visitor.accept("/steps/" + i + "/sees/" + j + "/" + field, value.asText());
                }
            }
        }
    }

    /** Keys an action may carry beside what it does (an expected refusal, ...): not its kind. */
    private static final java.util.Set<String> MODIFIERS = java.util.Set.of("expect", "title", "recorded-at");

    /** The key saying what an action does ({@code write}, {@code send-document}, ...), or null. */
    static String kind(JsonNode action) {
        Iterator<String> names = action.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!MODIFIERS.contains(name)) {
                return name;
            }
        }
        return null;
    }
}
