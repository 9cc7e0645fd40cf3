package org.ldrtestbed.scenarios.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * What an assertion's capability tags may claim. A capability (a letter a-j, or record-sharing) is evidence only when
 * the assertion depends on a flow of it: it names such a flow, so switching the capability off must make it fail.
 * The letters an assertion carries are therefore exactly the capabilities of the flows it names; anything seen that
 * depends on no flow is {@code context}. A negative (nothing may be seen) cannot fail when sharing is off, so it is
 * never a capability's evidence: it is {@code governance}, and the flows it names are those that must be live for
 * it to mean anything.
 */
public final class EvidenceRule {

    public static final String GOVERNANCE = "governance";
    public static final String CONTEXT = "context";

    private final Map<String, String> capabilityOfFlow;

    public EvidenceRule(FlowCatalogue catalogue) {
        this.capabilityOfFlow =
                catalogue.flows().stream().collect(Collectors.toMap(SharingFlow::code, SharingFlow::capability));
    }

    /** A problem with one assertion: the field it is in (relative to the assertion) and what is wrong. */
    public record Violation(String field, String message) {}

    /** Everything wrong with an assertion's tags, given the flows it names and whether it is a negative. */
    public List<Violation> check(Set<String> tags, Set<String> flows, boolean negative) {
        List<Violation> violations = new ArrayList<>();
        Set<String> dependedOn = new TreeSet<>();
        for (String flow : flows) {
            String capability = capabilityOfFlow.get(flow);
            if (capability == null) {
                violations.add(new Violation("flows", "no flow '" + flow + "' in the flow catalogue"));
            } else {
                dependedOn.add(capability);
            }
        }
        Set<String> claimed = tags.stream()
                .filter(t -> !GOVERNANCE.equals(t) && !CONTEXT.equals(t))
                .collect(Collectors.toCollection(TreeSet::new));
        if (negative) {
            if (!claimed.isEmpty()) {
                violations.add(new Violation(
                        "capabilities",
                        "a negative (nothing may be seen) cannot fail when " + String.join(", ", claimed)
                                + " is off, so it is not evidence for it: tag it governance"));
            }
            if (!tags.contains(GOVERNANCE)) {
                violations.add(new Violation("capabilities", "a negative is governance evidence: tag it governance"));
            }
            return violations;
        }
        for (String capability : claimed) {
            if (!dependedOn.contains(capability)) {
                violations.add(new Violation(
                        "capabilities",
                        "claims " + capability + " but names no flow of " + capability + " in flows ("
                                + flowsOf(capability) + "); what it sees without one is context"));
            }
        }
        for (String capability : dependedOn) {
            if (!claimed.contains(capability)) {
                violations.add(new Violation(
                        "capabilities",
                        "depends on a flow of " + capability + " (it fails when " + capability
                                + " is off) but is not tagged " + capability));
            }
        }
        if (tags.contains(CONTEXT) && (!claimed.isEmpty() || tags.contains(GOVERNANCE))) {
            violations.add(new Violation("capabilities", "context is for what proves nothing else: tag it alone"));
        }
        if (tags.isEmpty()) {
            violations.add(new Violation(
                    "capabilities", "say what this proves: the capabilities of its flows, governance, or context"));
        }
        return violations;
    }

    private String flowsOf(String capability) {
        List<String> codes = capabilityOfFlow.entrySet().stream()
                .filter(e -> e.getValue().equals(capability))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
        return codes.isEmpty() ? "the catalogue has none" : "flows of " + capability + ": " + String.join(", ", codes);
    }
}
