package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FhirValidationTest {

    private static final FhirValidation VALIDATION = new FhirValidation(FhirContext.forR4Cached());

    @Test
    void theShippedDischargeSummaryHasNoErrors() throws IOException {
        List<FhirValidation.Issue> issues = VALIDATION.validate(sample());
        assertThat(issues).noneMatch(FhirValidation.Issue::isError);
    }

    @Test
    void aBrokenDocumentIsFlaggedWhereItBreaks() throws IOException {
        // Bundle.type is required (1..1); an unknown element is an error too.
        String broken = sample().replaceFirst("\"type\"\\s*:\\s*\"document\"", "\"typo\": \"document\"");
        List<FhirValidation.Issue> issues = VALIDATION.validate(broken);
        assertThat(issues).anyMatch(i -> i.isError() && i.location().startsWith("Bundle"));
    }

    @Test
    void anOperationOutcomeWithoutIssueIsAnError() {
        List<FhirValidation.Issue> issues = VALIDATION.validate("{\"resourceType\":\"OperationOutcome\"}");
        assertThat(issues).anyMatch(i -> i.isError() && i.message().contains("issue"));
    }

    @Test
    void textThatIsNotFhirIsOneFatalFinding() {
        assertThat(VALIDATION.validate("<html>502 Bad Gateway</html>"))
                .singleElement()
                .satisfies(i -> assertThat(i.isError()).isTrue());
    }

    @Test
    void theShippedDischargeSummaryFitsTheTestbedProfile() throws IOException {
        List<FhirValidation.Issue> issues = VALIDATION.validate(sample(), IgPackages.DISCHARGE_SUMMARY_DOCUMENT);
        assertThat(issues).noneMatch(FhirValidation.Issue::isError);
    }

    @Test
    void aDocumentWithoutIdentifierFailsTheProfile() throws IOException {
        String anonymous = sample().replace(
                        "\"identifier\": {\"system\": \"urn:ietf:rfc:3986\", \"value\": \"urn:uuid:${DOC_ID}\"},", "");
        assertThat(anonymous).doesNotContain("urn:uuid:${DOC_ID}");

        // Base R4 wants one too (bdl-9); what is asserted is the profile's own cardinality.
        assertThat(VALIDATION.validate(anonymous, IgPackages.DISCHARGE_SUMMARY_DOCUMENT))
                .anyMatch(i -> i.isError()
                        && i.location().startsWith("Bundle")
                        && i.message().contains("Bundle.identifier"));
    }

    @Test
    void aPatientWithoutNhsNumberFailsTheProfileWhereThePatientIs() throws IOException {
        String unidentified =
                sample().replace("https://fhir.nhs.uk/Id/nhs-number", "urn:oid:2.16.840.1.113883.2.1.4.1.0");

        assertThat(VALIDATION.validate(unidentified)).noneMatch(FhirValidation.Issue::isError);
        assertThat(VALIDATION.validate(unidentified, IgPackages.DISCHARGE_SUMMARY_DOCUMENT))
                .anyMatch(i -> i.isError()
                        && i.location().startsWith("Bundle.entry[1].resource")
                        && i.message().contains("ldr-pat-1"));
    }

    @Test
    void aCompositionOfAnotherTypeFailsTheProfile() throws IOException {
        String letter = sample().replace("\"373942005\"", "\"371531000\"");
        assertThat(VALIDATION.validate(letter, IgPackages.DISCHARGE_SUMMARY_DOCUMENT))
                .anyMatch(i -> i.isError() && i.location().startsWith("Bundle.entry[0].resource"));
    }

    static String sample() throws IOException {
        try (InputStream in =
                FhirValidationTest.class.getClassLoader().getResourceAsStream("fhir/samples/discharge-summary.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
