package org.ldrtestbed.scenarios.check;

import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.journey.JourneyLoader;

/**
 * What the loader checks beyond the schema (unique ids, the NHS number's check digit, waits on flows, capability
 * tags against the flows an assertion names), the loader itself being the judge, placed at the field it names; and
 * the journey's own people, as the testbed would register them (names of their own, no privileged role).
 */
final class LoaderRules {

    private final JourneyLoader loader;

    private final RealmDefinition realm;

    LoaderRules(FlowCatalogue catalogue, RealmDefinition realm) {
        this.loader = new JourneyLoader(catalogue);
        this.realm = realm;
    }

    void check(String file, String text, Findings findings) {
        try {
            Journey journey = loader.load(file, text);
            people(journey, findings);
        } catch (JourneyFormatException e) {
            for (JourneyFormatException.Problem p : e.problems()) {
                YamlDocument.Position at = findings.document().at(pointer(p.field()));
                if (at.line() != p.line()) {
                    at = new YamlDocument.Position(p.line(), 1);
                }
                // The flow check says the same of an unknown flow, at the item, with a hint.
                if (!(p.message().startsWith("no flow '") && findings.hasOnLine(at.line(), "no flow '"))) {
                    findings.add(new Problem(file, at.line(), at.column(), p.field(), p.message()));
                }
            }
        } catch (RuntimeException e) {
            // The run would fail the same way, after booting: say so now.
            findings.add(new Problem(file, 1, 1, "(journey)", "the journey loader cannot read it: " + e));
        }
    }

    /** A journey's own people as the testbed registers them for a run: refused as the server would (409). */
    private void people(Journey journey, Findings findings) {
        if (journey.people().isEmpty()) {
            return;
        }
        journey.people().problems(realm).stream().findFirst().ifPresent(p -> findings.at("/people", p));
    }

    /** {@code steps[3].sees[0].flows} back to {@code /steps/3/sees/0/flows}. */
    static String pointer(String field) {
        if (field.startsWith("(")) {
            return "";
        }
        return "/"
                + field.replaceAll("\\[(\\d+)]", "/$1")
                        .replace('.', '/')
                        .replaceAll("^/", "")
                        .replace("//", "/");
    }
}
