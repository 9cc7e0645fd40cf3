package org.ldrtestbed.scenarios.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {{...}}} templates in journey strings. The expressions:
 *
 * <ul>
 *   <li>{@code patient}, {@code patient.nhs-number} — the journey's subject;
 *   <li>{@code ref:<label>} — a resource labelled earlier (or, inside one write or document, its {@code urn:uuid});
 *   <li>{@code org:<ods>}, {@code location:<code>}, {@code practitioner:<sds-id>} — directory entries, found by
 *       identifier on the server under test;
 *   <li>{@code actor.practitioner}, {@code actor.organisation} — the acting user's own entries;
 *   <li>{@code now}, {@code now+P7D}, {@code now-PT2H} — simulated times; {@code date:} before any of them gives
 *       a date, {@code hl7:} an HL7v2 time (UK local);
 *   <li>{@code run} — the run's id, unique per run (for message control ids and visit numbers).
 * </ul>
 */
public final class Templates {

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^{}]+?)\\s*}}");
    private static final Pattern TIME = Pattern.compile("now(?:([+-])(P[0-9A-Z.]+))?");

    private final Bindings bindings;

    public Templates(Bindings bindings) {
        this.bindings = bindings;
    }

    /** Where a template is being filled: the step's time and actor, and the labels local to one write. */
    public record Scope(Instant now, Bindings.ActorEntries actor, Map<String, String> localLabels) {}

    public String render(String text, Scope scope) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(evaluate(m.group(1), scope)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A deep copy of {@code node} with every string rendered. */
    public JsonNode render(JsonNode node, Scope scope) {
        if (node.isTextual()) {
            return TextNode.valueOf(render(node.asText(), scope));
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), render(field.getValue(), scope));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(item -> copy.add(render(item, scope)));
            return copy;
        }
        return node.deepCopy();
    }

    private String evaluate(String expression, Scope scope) {
        if (expression.startsWith("date:")) {
            return DateTimeFormatter.ISO_LOCAL_DATE.format(
                    time(expression.substring(5), scope).atZone(ZoneOffset.UTC).toLocalDate());
        }
        if (expression.startsWith("hl7:")) {
            // HL7v2 times are UK local times without a zone.
            return DateTimeFormatter.ofPattern("yyyyMMddHHmm")
                    .withZone(java.time.ZoneId.of("Europe/London"))
                    .format(time(expression.substring(4), scope));
        }
        if (expression.startsWith("now")) {
            return DateTimeFormatter.ISO_INSTANT.format(time(expression, scope).truncatedTo(ChronoUnit.SECONDS));
        }
        return switch (expression) {
            case "patient" -> {
                String local = scope.localLabels().get(bindings.patientLabel());
                yield local != null ? local : bindings.patientReference();
            }
            case "patient.nhs-number" -> bindings.nhsNumber();
            case "run" -> bindings.runId();
            case "actor.practitioner" -> required(scope.actor().practitioner(), "the actor has no practitioner entry");
            case "actor.organisation" -> required(scope.actor().organisation(), "the actor has no organisation");
            default -> reference(expression, scope);
        };
    }

    private String reference(String expression, Scope scope) {
        int colon = expression.indexOf(':');
        if (colon < 0) {
            throw new TemplateException("unknown template {{" + expression + "}}");
        }
        String kind = expression.substring(0, colon);
        String key = expression.substring(colon + 1);
        return switch (kind) {
            case "ref" -> {
                String local = scope.localLabels().get(key);
                yield local != null ? local : bindings.labelled(key);
            }
            case "org", "location", "practitioner" -> bindings.directory(kind, key);
            default -> throw new TemplateException("unknown template {{" + expression + "}}");
        };
    }

    private static Instant time(String expression, Scope scope) {
        Matcher m = TIME.matcher(expression);
        if (!m.matches()) {
            throw new TemplateException("unknown time template {{" + expression + "}}: use now, now+P7D or now-PT2H");
        }
        if (m.group(1) == null) {
            return scope.now();
        }
        Duration offset;
        try {
            offset = Duration.parse(m.group(2));
        } catch (RuntimeException e) {
            throw new TemplateException("'" + m.group(2) + "' in {{" + expression + "}} is not an ISO-8601 duration");
        }
        return m.group(1).equals("+") ? scope.now().plus(offset) : scope.now().minus(offset);
    }

    private static String required(String value, String problem) {
        if (value == null) {
            throw new TemplateException(problem);
        }
        return value;
    }

    /** A template that cannot be filled. */
    public static final class TemplateException extends RuntimeException {
        public TemplateException(String message) {
            super(message);
        }
    }
}
