package org.ldrtestbed.scenarios.check;

import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.journey.JourneyLoader;

/**
 * What the loader checks beyond the schema (unique ids, the NHS number's check digit, waits on flows, capability
 * tags against the flows an assertion names), the loader itself being the judge, placed at the field it names.
 */
final class LoaderRules {

    private final JourneyLoader loader;

    LoaderRules(FlowCatalogue catalogue) {
        this.loader = new JourneyLoader(catalogue);
    }

    void check(String file, String text, Findings findings) {
        try {
            loader.load(file, text);
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
