package org.ldrtestbed.scenarios.check;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.ResourceType;
import org.ldrtestbed.fhirserver.contract.AuditEventSearch;

/**
 * Every assertion's query: a FHIR resource type, and parameters the server knows for it: HAPI's search parameter
 * registry (R4) for the JPA-served types, the testbed's own provider's parameters for those it serves itself
 * ({@code AuditEvent}), plus the result parameters ({@code _count}, {@code _include}, ...).
 */
final class SearchCheck implements JourneyCheck {

    /** Parameters every search takes, whatever its type (FHIR R4 search, 3.1.1.5 and 3.1.1.6). */
    private static final Set<String> COMMON = Set.of(
            "_id",
            "_lastUpdated",
            "_tag",
            "_profile",
            "_security",
            "_source",
            "_text",
            "_content",
            "_list",
            "_has",
            "_type",
            "_filter",
            "_sort",
            "_count",
            "_offset",
            "_include",
            "_revinclude",
            "_summary",
            "_total",
            "_elements",
            "_contained",
            "_containedType",
            "_format",
            "_pretty");

    /** Search modifiers (FHIR R4 search, 3.1.1.5.5), besides a resource type on a reference ({@code subject:Patient}). */
    private static final Set<String> MODIFIERS = Set.of(
            "missing",
            "exact",
            "contains",
            "text",
            "not",
            "above",
            "below",
            "in",
            "not-in",
            "of-type",
            "identifier",
            "iterate",
            "code-text",
            "text-advanced");

    /** Types the testbed serves with its own provider, not HAPI's JPA one: only that provider's parameters work. */
    private static final Map<String, Set<String>> OWN_PROVIDERS = Map.of("AuditEvent", AuditEventSearch.PARAMETERS);

    /** R4's resource types, from the model's enumeration: asking the context would scan every resource class. */
    private static final Set<String> RESOURCE_TYPES =
            Arrays.stream(ResourceType.values()).map(ResourceType::name).collect(Collectors.toCollection(TreeSet::new));

    private final FhirContext context;
    private final Map<String, Set<String>> ownParameters = OWN_PROVIDERS;

    SearchCheck(FhirContext context) {
        this.context = context;
    }

    @Override
    public void check(Tree journey, Findings findings) {
        Walk.assertionStrings(journey.root(), "query", (pointer, query) -> check(pointer, query, findings));
    }

    private void check(String pointer, String query, Findings findings) {
        if (query.startsWith("{{")) {
            return; // a read by id: {{ref:label}}
        }
        int q = query.indexOf('?');
        String path = q < 0 ? query : query.substring(0, q);
        String type = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (!RESOURCE_TYPES.contains(type)) {
            findings.in(
                    pointer, type, "no FHIR R4 resource type '" + type + "'" + DidYouMean.hint(type, RESOURCE_TYPES));
            return;
        }
        if (q < 0) {
            return;
        }
        for (String parameter : query.substring(q + 1).split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int eq = parameter.indexOf('=');
            String name = eq < 0 ? parameter : parameter.substring(0, eq);
            String value = eq < 0 ? "" : parameter.substring(eq + 1);
            String problem = problem(type, name, value);
            if (problem != null) {
                findings.in(pointer, parameter, problem);
            }
        }
    }

    private String problem(String type, String name, String value) {
        // subject:Patient.identifier, code:text, _has:Observation:patient:code: the parameter is the first part.
        String base = name.split("[:.]", 2)[0];
        Set<String> known = known(type);
        if (!known.contains(base)) {
            String served = ownParameters.containsKey(type) ? "the testbed's " + type + " search" : type;
            return "'" + base + "' is not a search parameter of " + served + DidYouMean.hint(base, known);
        }
        String modifier = modifier(name);
        if (modifier != null
                && !base.equals("_has")
                && !MODIFIERS.contains(modifier)
                && !RESOURCE_TYPES.contains(modifier)) {
            return "':" + modifier + "' is not a search modifier" + DidYouMean.hint(modifier, MODIFIERS);
        }
        if (base.equals("_include") || base.equals("_revinclude")) {
            String[] parts = value.split(":");
            if (parts.length >= 2 && !value.contains("{{") && RESOURCE_TYPES.contains(parts[0])) {
                Set<String> ofIncluded = known(parts[0]);
                if (!parts[1].equals("*") && !ofIncluded.contains(parts[1])) {
                    return base + " " + value + ": '" + parts[1] + "' is not a search parameter of " + parts[0]
                            + DidYouMean.hint(parts[1], ofIncluded);
                }
            }
        }
        return null;
    }

    /** {@code code:text} → {@code text}, {@code subject:Patient.name} → {@code Patient}; null without one. */
    private static String modifier(String name) {
        int colon = name.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String rest = name.substring(colon + 1);
        int end = rest.indexOf('.');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private Set<String> known(String type) {
        Set<String> names = new TreeSet<>(COMMON);
        Set<String> own = ownParameters.get(type);
        if (own != null) {
            names.removeIf(n -> !n.equals("_count") && !n.equals("_offset") && !n.equals("_format"));
            names.addAll(own);
            return names;
        }
        RuntimeResourceDefinition definition = context.getResourceDefinition(type);
        for (RuntimeSearchParam p : definition.getSearchParams()) {
            names.add(p.getName());
        }
        return names;
    }
}
