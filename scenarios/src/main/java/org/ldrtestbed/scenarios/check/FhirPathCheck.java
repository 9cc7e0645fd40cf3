package org.ldrtestbed.scenarios.check;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;

/**
 * Every assertion's {@code where} parsed by the FHIRPath engine HAPI evaluates it with at run time (R4's
 * {@code FHIRPathEngine}), templates standing in as values of their kind. Parsing needs no structure definitions, so
 * the engine gets a worker context that has none: HAPI's own would load them all, some ten seconds. For the same
 * reason the engine does not know element names: an unknown one ({@code effectiveDateTime}, the JSON name of
 * {@code effective}) is silently empty at run time, so the names the expression starts from are looked up in the
 * model of the type the query returns.
 */
final class FhirPathCheck implements JourneyCheck {

    private static final Pattern QUERY_TYPE = Pattern.compile("^([A-Z][A-Za-z]+)(\\?.*)?$");
    private static final Pattern QUERY_REF = Pattern.compile("^\\{\\{\\s*ref:([a-z0-9-]+)\\s*}}$");

    private final FHIRPathEngine engine = new FHIRPathEngine(noDefinitions());
    private final FhirContext fhir;

    FhirPathCheck(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Override
    public void check(Tree journey, Findings findings) {
        Walk.assertionStrings(journey.root(), "where", (pointer, where) -> {
            ExpressionNode parsed;
            try {
                parsed = engine.parse(StandIns.render(where));
            } catch (RuntimeException e) {
                findings.at(pointer, findings.document().valueAt(pointer), "not valid FHIRPath: " + e.getMessage());
                return;
            }
            JsonNode assertion = journey.root().at(pointer.substring(0, pointer.lastIndexOf('/')));
            Optional<RuntimeResourceDefinition> type =
                    queriedType(assertion.path("query").asText(""), journey.root());
            if (type.isPresent()) {
                List<String> unknown = new ArrayList<>();
                names(parsed, type.get(), unknown);
                for (String problem : unknown) {
                    findings.at(pointer, findings.document().valueAt(pointer), problem);
                }
            }
        });
    }

    /** The type a query's matches have: a search's or a read by label's; none for an operation or an unknown type. */
    private Optional<RuntimeResourceDefinition> queriedType(String query, JsonNode root) {
        String type = null;
        Matcher search = QUERY_TYPE.matcher(query);
        Matcher ref = QUERY_REF.matcher(query.trim());
        if (search.matches()) {
            type = search.group(1);
        } else if (ref.matches()) {
            type = labelledType(root, ref.group(1));
        }
        if (type == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(fhir.getResourceDefinition(type));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unknown type is the resource check's to report
        }
    }

    private static String labelledType(JsonNode root, String label) {
        for (JsonNode step : root.path("steps")) {
            for (JsonNode action : step.path("does")) {
                for (JsonNode entry : action.path("write").path("resources")) {
                    if (label.equals(entry.path("label").asText())) {
                        return entry.path("resource").path("resourceType").asText(null);
                    }
                }
            }
        }
        return null;
    }

    /**
     * The element names each operand of the expression starts from, checked against the type: only the first name of
     * each path (what a function's argument starts from depends on where it is called, so it is not looked at).
     */
    private static void names(ExpressionNode node, RuntimeResourceDefinition type, List<String> unknown) {
        for (ExpressionNode operand = node; operand != null; operand = operand.getOpNext()) {
            if (operand.getKind() == ExpressionNode.Kind.Group) {
                names(operand.getGroup(), type, unknown);
            } else if (operand.getKind() == ExpressionNode.Kind.Name) {
                ExpressionNode first = operand;
                if (type.getName().equals(first.getName()) && first.getInner() != null) {
                    first = first.getInner(); // Observation.status starts from status
                }
                if (first.getKind() == ExpressionNode.Kind.Name) {
                    element(first.getName(), type).ifPresent(unknown::add);
                }
            }
            ExpressionNode.Operation op = operand.getOperation();
            if (op == ExpressionNode.Operation.Is || op == ExpressionNode.Operation.As) {
                break; // the right of `is` and `as` is a type, not an element
            }
        }
    }

    /** Why the name is not an element of the type, or nothing when it is one. */
    private static Optional<String> element(String name, RuntimeResourceDefinition type) {
        if (name.startsWith("$") || name.startsWith("%") || RESOURCE_ELEMENTS.contains(name)) {
            return Optional.empty();
        }
        List<String> known = new ArrayList<>(RESOURCE_ELEMENTS);
        for (BaseRuntimeChildDefinition child : type.getChildren()) {
            if (child.getElementName().equals(name)) {
                return Optional.empty();
            }
            known.add(child.getElementName());
        }
        for (BaseRuntimeChildDefinition child : type.getChildren()) {
            if (child.getValidChildNames().contains(name)) {
                return Optional.of("'" + name + "' is how JSON names " + type.getName() + "." + child.getElementName()
                        + "; FHIRPath calls it '" + child.getElementName() + "' (" + child.getElementName()
                        + ".ofType(...) for one of its types): as written it is always empty");
            }
        }
        return Optional.of(type.getName() + " has no element '" + name + "': as written it is always empty"
                + DidYouMean.hint(name, known));
    }

    private static final List<String> RESOURCE_ELEMENTS =
            List.of("id", "meta", "implicitRules", "language", "text", "contained", "extension", "modifierExtension");

    /** A worker context answering every question with nothing. */
    private static IWorkerContext noDefinitions() {
        return (IWorkerContext) Proxy.newProxyInstance(
                IWorkerContext.class.getClassLoader(), new Class<?>[] {IWorkerContext.class}, (proxy, method, args) -> {
                    Class<?> type = method.getReturnType();
                    if (List.class.isAssignableFrom(type)) {
                        return new ArrayList<>();
                    }
                    if (Set.class.isAssignableFrom(type)) {
                        return new HashSet<>();
                    }
                    if (Map.class.isAssignableFrom(type)) {
                        return new HashMap<>();
                    }
                    if (type == boolean.class) {
                        return false;
                    }
                    return type == int.class ? 0 : null;
                });
    }
}
