package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.routes.contract.SutExchange;

/** What a prompt for a document tells a system, and what the document it sends comes to. */
class SentDocumentsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final SentDocuments DOCUMENTS = new SentDocuments(new FhirValidation(FHIR));

    @Test
    void thePromptNamesThePatientTheRunHeaderAndTheContent() throws IOException {
        Map<String, String> facts = DOCUMENTS.facts(sample(), "run-1", nhsNumber(), sender("fhir-rest"), null);

        assertThat(facts)
                .containsEntry("nhs-number", nhsNumber())
                .containsEntry(SentDocuments.HEADER, Headers.JOURNEY + ": run-1")
                .containsEntry("document-type", "373942005");
        Bundle content = FHIR.newJsonParser().parseResource(Bundle.class, facts.get(SentDocuments.CONTENT));
        assertThat(content.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(content.getEntryFirstRep().getResource()).isInstanceOf(Composition.class);
        assertThat(content.getEntry()).hasSameSizeAs(parsed().getEntry());
        assertThat(SentDocuments.text("epr", "SYNAC", "discharge-summary", facts, "s1"))
                .contains("NHS number " + nhsNumber())
                .contains("X-Ldr-Journey: run-1");
    }

    @Test
    void overMeshThePromptNamesTheMailboxesAndTheRunAsTheLocalId() throws IOException {
        Map<String, String> facts =
                DOCUMENTS.facts(sample(), "run-1", nhsNumber(), sender("mesh"), "TOC_FHIR_IP_DISCH");

        assertThat(facts)
                .containsEntry(SentDocuments.TRANSPORT, "mesh")
                .containsEntry(SentDocuments.MEX_FROM, "SYNAC-MBX")
                .containsEntry(SentDocuments.MEX_TO, "SYNG09-MBX")
                .containsEntry(SentDocuments.MEX_LOCAL_ID, "run-1")
                .containsEntry(SentDocuments.MEX_WORKFLOW_ID, "TOC_FHIR_IP_DISCH")
                .doesNotContainKey(SentDocuments.HEADER);
        assertThat(SentDocuments.text("epr", "SYNAC", "discharge-summary", facts, "s1"))
                .contains("/mesh/messageexchange/SYNAC-MBX/outbox")
                .contains("mex-localid: run-1");
    }

    @Test
    void aValidDocumentForThePatientFiledByTheTestbedPassesEveryCheck() throws IOException {
        SentDocuments.Judgement judged =
                DOCUMENTS.judge(exchange(sample(), 201, null), "discharge-summary", nhsNumber());

        assertThat(judged.checks())
                .extracting(SentDocuments.Check::check)
                .containsExactly("transport", "content", "acknowledgement");
        assertThat(judged.checks())
                .allSatisfy(c -> assertThat(c.verdict()).as(c.toString()).isEqualTo(ConformanceCheck.PASS));
        assertThat(judged.failure()).isNull();
        assertThat(judged.stored()).isEqualTo("Bundle/7/_history/1");
    }

    @Test
    void anotherPatientsDocumentFailsTheContentCheck() throws IOException {
        SentDocuments.Judgement judged =
                DOCUMENTS.judge(exchange(sample(), 201, null), "discharge-summary", "9990000131");

        assertThat(check(judged, "content").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(judged, "content").reason()).contains("wrong patient").contains("9990000131");
        assertThat(judged.failure()).contains("not valid");
    }

    @Test
    void aDocumentWithoutCompositionStatusFailsTheContentCheckWhereItBreaks() throws IOException {
        Bundle broken = parsed();
        ((Composition) broken.getEntryFirstRep().getResource()).setStatus(null);
        String body = FHIR.newJsonParser().encodeResourceToString(broken);

        SentDocuments.Judgement judged = DOCUMENTS.judge(exchange(body, 201, null), "discharge-summary", nhsNumber());

        assertThat(check(judged, "content").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(judged, "content").reason()).contains("Composition.status");
    }

    @Test
    void aRefusalFailsTheAcknowledgementWithTheTestbedsReason() throws IOException {
        String outcome =
                "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"processing\","
                        + "\"diagnostics\":\"refused, nothing filed\"}]}";

        SentDocuments.Judgement judged =
                DOCUMENTS.judge(exchange(sample(), 422, outcome), "discharge-summary", nhsNumber());

        assertThat(check(judged, "acknowledgement").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(judged, "acknowledgement").reason()).contains("422").contains("refused, nothing filed");
        assertThat(judged.failure()).contains("refused its document (422");
        assertThat(judged.stored()).isNull();
    }

    private static org.ldrtestbed.routes.contract.SystemUnderTest sender(String transport) {
        return new org.ldrtestbed.routes.contract.SystemUnderTest(
                "epr",
                "discharge-summary",
                "SYNAC",
                org.ldrtestbed.routes.contract.SystemUnderTest.Direction.SENDS,
                transport,
                null,
                null);
    }

    private static SentDocuments.Check check(SentDocuments.Judgement judged, String name) {
        return judged.checks().stream()
                .filter(c -> c.check().equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static SutExchange exchange(String request, int status, String response) {
        return new SutExchange(
                1,
                "run-1",
                "epr",
                "discharge-summary",
                null,
                SutExchange.FROM_SUT,
                "fhir-rest",
                "POST http://testbed/fhir/Bundle by client acute-integration",
                null,
                request,
                status,
                response,
                status == 201 ? "Bundle/7/_history/1" : null,
                null,
                Instant.parse("2026-03-02T09:00:00Z"));
    }

    private static Bundle parsed() throws IOException {
        return FHIR.newJsonParser().parseResource(Bundle.class, sample());
    }

    private static String nhsNumber() throws IOException {
        return parsed().getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof org.hl7.fhir.r4.model.Patient)
                .map(r -> ((org.hl7.fhir.r4.model.Patient) r)
                        .getIdentifierFirstRep()
                        .getValue())
                .findFirst()
                .orElseThrow();
    }

    static String sample() throws IOException {
        return FhirValidationTest.sample().replace("${NHS}", "9990000123");
    }
}
