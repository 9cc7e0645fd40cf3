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
    void anAcknowledgementAnsweringItsRequestFitsTheProfileAndOneWithoutItsCodeOrItsReasonDoesNot() {
        String ok = acknowledgement("\"code\": \"ok\"");
        assertThat(VALIDATION.validate(ok, IgPackages.MESSAGE_ACKNOWLEDGEMENT))
                .noneMatch(FhirValidation.Issue::isError);

        // response.code is 1..1 in base R4 too: the profile's own rule is that an error says why.
        String unexplained = acknowledgement("\"code\": \"fatal-error\"");
        assertThat(VALIDATION.validate(unexplained, IgPackages.MESSAGE_ACKNOWLEDGEMENT))
                .anyMatch(i -> i.isError() && i.message().contains("ldr-ack-3"));
        assertThat(VALIDATION.validate(unexplained)).noneMatch(FhirValidation.Issue::isError);
    }

    @Test
    void aStructuredRecordOfOnePatientFitsTheProfileAndOneOfTwoOrOfOtherKindsDoesNot() {
        String one = structuredRecord(patient("9990000018"), allergy());
        assertThat(VALIDATION.validate(one, IgPackages.STRUCTURED_RECORD)).noneMatch(FhirValidation.Issue::isError);

        String two = structuredRecord(patient("9990000018"), patient("9990000026"));
        assertThat(VALIDATION.validate(two, IgPackages.STRUCTURED_RECORD))
                .anyMatch(i -> i.isError() && i.message().contains("ldr-rec-1"));
        assertThat(VALIDATION.validate(two)).noneMatch(FhirValidation.Issue::isError);

        String other = structuredRecord(
                patient("9990000018"),
                "{\"resourceType\": \"Observation\", \"status\": \"final\"," + " \"code\": {\"text\": \"synthetic\"}}");
        assertThat(VALIDATION.validate(other, IgPackages.STRUCTURED_RECORD))
                .anyMatch(i -> i.isError() && i.message().contains("ldr-rec-2"));
    }

    private static String acknowledgement(String code) {
        return "{\"resourceType\": \"Bundle\", \"type\": \"message\", \"timestamp\": \"2026-12-07T10:00:00Z\","
                + " \"identifier\": {\"system\": \"urn:ietf:rfc:3986\","
                + " \"value\": \"urn:uuid:7d1c1f0e-52a4-4f8e-9d63-2b1f0b6c2a11\"},"
                + " \"entry\": [{\"fullUrl\": \"urn:uuid:0b8f8f0e-52a4-4f8e-9d63-2b1f0b6c2a12\","
                + " \"resource\": {\"resourceType\": \"MessageHeader\", \"id\": \"ack-1\","
                + " \"eventCoding\": {\"system\": \"https://fhir.nhs.uk/CodeSystem/message-event\","
                + " \"code\": \"servicerequest-response\"},"
                + " \"source\": {\"endpoint\": \"https://reference-ambulance.example/fhir\"},"
                + " \"response\": {\"identifier\": \"request-header-1\", " + code + "}}}]}";
    }

    private static String structuredRecord(String... resources) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < resources.length; i++) {
            entries.append(i == 0 ? "" : ", ")
                    .append("{\"fullUrl\": \"urn:uuid:00000000-0000-4000-8000-00000000000")
                    .append(i)
                    .append("\", \"resource\": ")
                    .append(resources[i])
                    .append("}");
        }
        return "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [" + entries + "]}";
    }

    private static String patient(String nhsNumber) {
        return "{\"resourceType\": \"Patient\", \"identifier\": [{\"system\": \"https://fhir.nhs.uk/Id/nhs-number\","
                + " \"value\": \"" + nhsNumber + "\"}], \"name\": [{\"family\": \"Synthetic\"}]}";
    }

    private static String allergy() {
        return "{\"resourceType\": \"AllergyIntolerance\", \"clinicalStatus\": {\"coding\": [{\"system\":"
                + " \"http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical\", \"code\": \"active\"}]},"
                + " \"code\": {\"text\": \"amoxicillin (synthetic)\"},"
                + " \"patient\": {\"reference\": \"urn:uuid:00000000-0000-4000-8000-000000000000\"}}";
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
