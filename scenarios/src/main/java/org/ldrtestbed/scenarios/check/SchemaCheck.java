package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.ldrtestbed.scenarios.journey.JourneyLoader;
import org.ldrtestbed.scenarios.journey.SchemaCheckedYaml;

/**
 * The journey schema, as the loader applies it, with each violation placed at its field; a field the schema does not
 * know gets the nearest one it does as a hint ({@code actr} → {@code actor}).
 */
final class SchemaCheck implements JourneyCheck {

    private static final SchemaCheckedYaml SCHEMA = new SchemaCheckedYaml(JourneyLoader.SCHEMA_LOCATION, "a journey");
    private static final String ADDITIONAL = "/additionalProperties";
    private static final String PATTERN = "/pattern";

    private final JsonNode schema = schemaJson();

    @Override
    public void check(Tree journey, Findings findings) {
        if (!journey.root().isObject()) {
            findings.at("", "a journey file must be a YAML mapping");
            return;
        }
        for (SchemaCheckedYaml.Violation v : SCHEMA.violations(journey.root())) {
            YamlDocument.Position at = findings.document().at(v.pointer());
            String hint = hint(v);
            if (hint.isEmpty()) {
                hint = misindented(journey.root(), v);
            }
            findings.add(new Problem(findings.file(), at.line(), at.column(), v.field(), readable(v) + hint));
        }
    }

    /**
     * A pattern the value does not match, said by what the pattern's definition describes ("an offset from the
     * journey start, e.g. PT35M") rather than by its regex, which an author is not expected to read.
     */
    private String readable(SchemaCheckedYaml.Violation v) {
        int hash = v.schemaLocation().indexOf('#');
        String keyword = hash < 0 ? "" : v.schemaLocation().substring(hash + 1);
        if (!keyword.endsWith(PATTERN)) {
            return v.message();
        }
        JsonNode description = schema.at(keyword.substring(0, keyword.length() - PATTERN.length()) + "/description");
        return description.isTextual() ? "not of the form expected: " + description.asText() : v.message();
    }

    private String hint(SchemaCheckedYaml.Violation v) {
        int hash = v.schemaLocation().indexOf('#');
        String keyword = hash < 0 ? "" : v.schemaLocation().substring(hash + 1);
        if (!keyword.endsWith(ADDITIONAL)) {
            return "";
        }
        List<String> known = new ArrayList<>();
        String parent = keyword.substring(0, keyword.length() - ADDITIONAL.length());
        schema.at(parent + "/properties").fieldNames().forEachRemaining(known::add);
        String property = v.pointer().substring(v.pointer().lastIndexOf('/') + 1);
        return DidYouMean.hint(property, known);
    }

    /**
     * A field the schema does not know beside a {@code resource} whose type has an element of that name was meant for
     * the resource, indented too little: say so, or the author hunts for a typo that is not there.
     */
    private static String misindented(JsonNode root, SchemaCheckedYaml.Violation v) {
        int slash = v.pointer().lastIndexOf('/');
        if (slash < 0 || !v.schemaLocation().endsWith(ADDITIONAL)) {
            return "";
        }
        String property = v.pointer().substring(slash + 1);
        JsonNode type =
                root.at(v.pointer().substring(0, slash)).path("resource").path("resourceType");
        if (!type.isTextual()) {
            return "";
        }
        try {
            var definition = ca.uhn.fhir.context.FhirContext.forR4Cached().getResourceDefinition(type.asText());
            return definition.getChildByName(property) != null
                    ? "; '" + property + "' is an element of " + type.asText() + ": indent it under resource"
                    : "";
        } catch (RuntimeException e) {
            return ""; // an unknown type is the resource check's to report
        }
    }

    private static JsonNode schemaJson() {
        try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(JourneyLoader.SCHEMA_LOCATION)) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
