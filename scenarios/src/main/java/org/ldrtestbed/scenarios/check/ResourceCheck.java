package org.ldrtestbed.scenarios.check;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Every FHIR resource a journey writes or sends, parsed as strictly as HAPI's {@code StrictErrorHandler} would: an
 * element R4 does not define (a misspelt field, text YAML cut at a comma), a value of the wrong type or form, is an
 * error here, where the server would only log a warning and drop it. Templates stand in as values of their kind
 * (a time, a date, a reference). Each problem is placed at the field it names, else at the resource.
 */
final class ResourceCheck implements JourneyCheck {

    private final FhirContext context;

    ResourceCheck(FhirContext context) {
        this.context = context;
    }

    @Override
    public void check(Tree journey, Findings findings) {
        JsonNode steps = journey.root().path("steps");
        for (int i = 0; i < steps.size(); i++) {
            Walk.objectsWith(
                    steps.get(i).path("does"),
                    "/steps/" + i + "/does",
                    "resourceType",
                    (pointer, resource) -> parse(pointer, resource, findings));
        }
    }

    private void parse(String pointer, JsonNode resource, Findings findings) {
        if (!resource.path("resourceType").isTextual()) {
            return;
        }
        Recorder recorder = new Recorder();
        IParser parser = context.newJsonParser().setParserErrorHandler(recorder);
        try {
            parser.parseResource(StandIns.render(resource).toString());
        } catch (DataFormatException e) {
            recorder.issues.add(new Issue(null, withoutCode(e.getMessage())));
        }
        for (Issue issue : recorder.issues) {
            String at = issue.element() == null
                    ? pointer
                    : findings.document()
                            .firstFieldNamed(pointer, issue.element())
                            .orElse(pointer);
            YamlDocument.Position position = findings.document().at(at);
            // Text cut at a comma is already reported there, saying why the element is unknown.
            if (!findings.has(position.line(), position.column())) {
                findings.at(at, position, issue.message());
            }
        }
    }

    private static String withoutCode(String message) {
        return message == null ? "cannot be parsed" : message.replaceFirst("^HAPI-\\d+: ", "");
    }

    /** One parse problem: the element it names (null: the resource as a whole) and what is wrong. */
    private record Issue(String element, String message) {}

    /** Records every parse problem, as the strict handler would refuse each, without stopping at the first. */
    private static final class Recorder implements IParserErrorHandler {
        private final List<Issue> issues = new ArrayList<>();

        private static String in(IParseLocation location) {
            return location == null || location.getParentElementName() == null
                    ? ""
                    : " (in " + location.getParentElementName() + ")";
        }

        @Override
        public void unknownElement(IParseLocation location, String name) {
            issues.add(
                    new Issue(name, "unknown element '" + name + "'" + in(location) + ": FHIR R4 has no such field"));
        }

        @Override
        public void unknownAttribute(IParseLocation location, String name) {
            issues.add(new Issue(name, "unknown attribute '" + name + "'" + in(location)));
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String name) {
            issues.add(new Issue(name, "'" + name + "'" + in(location) + " holds one value, not a list"));
        }

        @Override
        public void incorrectJsonType(
                IParseLocation location,
                String name,
                BaseJsonLikeValue.ValueType expected,
                BaseJsonLikeValue.ScalarType expectedScalar,
                BaseJsonLikeValue.ValueType found,
                BaseJsonLikeValue.ScalarType foundScalar) {
            issues.add(new Issue(
                    name,
                    "'" + name + "'" + in(location) + " must be " + describe(expected, expectedScalar) + ", not "
                            + describe(found, foundScalar)));
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            issues.add(new Issue(
                    location == null ? null : location.getParentElementName(),
                    "invalid value '" + value + "'" + in(location) + ": " + withoutCode(error)));
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String element) {
            issues.add(new Issue(null, "'" + element + "' is required" + in(location)));
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            issues.add(new Issue(null, "a contained resource needs an id" + in(location)));
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            // Templates stand in for references: what they point at is the template check's business.
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            issues.add(new Issue(null, "reference '" + reference + "' points at nothing contained" + in(location)));
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            issues.add(new Issue(null, "an extension has both a value and nested extensions" + in(location)));
        }

        private static String describe(BaseJsonLikeValue.ValueType type, BaseJsonLikeValue.ScalarType scalar) {
            if (type == null) {
                return "?";
            }
            String t = type.name().toLowerCase(java.util.Locale.ROOT);
            return scalar == null ? "a " + t : "a " + scalar.name().toLowerCase(java.util.Locale.ROOT) + " " + t;
        }
    }
}
