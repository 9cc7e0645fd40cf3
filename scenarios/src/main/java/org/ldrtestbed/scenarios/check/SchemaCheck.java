package org.ldrtestbed.scenarios.check;

import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.journey.SchemaCheckedYaml;

/** The journey schema, as the loader applies it, with each violation placed at its field. */
final class SchemaCheck implements JourneyCheck {

    private static final SchemaCheckedYaml SCHEMA = new SchemaCheckedYaml(JourneyLoader.SCHEMA_LOCATION, "a journey");

    @Override
    public void check(Tree journey, Findings findings) {
        if (!journey.root().isObject()) {
            findings.at("", "a journey file must be a YAML mapping");
            return;
        }
        for (SchemaCheckedYaml.Violation v : SCHEMA.violations(journey.root())) {
            YamlDocument.Position at = findings.document().at(v.pointer());
            findings.add(new Problem(findings.file(), at.line(), at.column(), v.field(), v.message()));
        }
    }
}
