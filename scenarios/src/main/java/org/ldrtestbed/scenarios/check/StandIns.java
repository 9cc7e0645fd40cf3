package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.regex.Matcher;

/**
 * What a template stands in as while a resource or FHIRPath is parsed without a run: a value of its kind (a time, a
 * date, an HL7v2 time, an NHS number, a reference), so that only the journey's own mistakes show.
 */
final class StandIns {

    static final String TIME = "2026-01-12T08:00:00Z";
    static final String DATE = "2026-01-12";
    static final String HL7_TIME = "202601120800";
    static final String NHS_NUMBER = "9990000018";
    static final String REFERENCE = "Placeholder/1";

    private StandIns() {}

    static String standIn(String expression) {
        if (expression.startsWith("date:")) {
            return DATE;
        }
        if (expression.startsWith("hl7:")) {
            return HL7_TIME;
        }
        if (expression.startsWith("now")) {
            return TIME;
        }
        return switch (expression) {
            case "patient.nhs-number" -> NHS_NUMBER;
            case "run" -> "run";
            default -> REFERENCE;
        };
    }

    static String render(String text) {
        Matcher m = TemplateCheck.TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(standIn(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A copy of {@code node} with every string's templates stood in for. */
    static JsonNode render(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(render(node.asText()));
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            node.fields().forEachRemaining(f -> copy.set(f.getKey(), render(f.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(render(item)));
            return copy;
        }
        return node;
    }
}
