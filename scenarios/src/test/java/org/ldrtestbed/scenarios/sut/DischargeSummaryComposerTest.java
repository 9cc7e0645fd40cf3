package org.ldrtestbed.scenarios.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Prompt;

/** The reference acute EPR's documents, made from a prompt's content, with and without its faults. */
class DischargeSummaryComposerTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void itMakesADocumentOfItsOwnFromTheRecordsContentCompositionFirst() throws IOException {
        Bundle document = new DischargeSummaryComposer(FHIR, Fault.NONE).compose(prompt(content()));

        assertThat(document.getType()).isEqualTo(Bundle.BundleType.DOCUMENT);
        assertThat(document.getIdentifier().getValue()).startsWith("urn:uuid:");
        assertThat(document.getTimestamp().toInstant()).isEqualTo(AT);
        assertThat(document.getEntryFirstRep().getResource()).isInstanceOf(Composition.class);
        assertThat(nhsNumber(document)).isEqualTo("9990000123");
        assertThat(document.getEntry()).hasSize(recordOf(content()).getEntry().size());
    }

    @Test
    void wrongPatientNamesAnotherPatient() throws IOException {
        Bundle document = new DischargeSummaryComposer(FHIR, Fault.WRONG_PATIENT).compose(prompt(content()));

        assertThat(nhsNumber(document)).isEqualTo(Fault.WRONG_NHS_NUMBER);
    }

    @Test
    void invalidLeavesOutWhatR4Requires() throws IOException {
        Bundle document = new DischargeSummaryComposer(FHIR, Fault.INVALID).compose(prompt(content()));

        Composition composition = (Composition) document.getEntryFirstRep().getResource();
        assertThat(composition.hasStatus()).isFalse();
        assertThat(composition.hasTitle()).isFalse();
    }

    @Test
    void aPromptWithoutContentIsRefused() {
        assertThatThrownBy(() -> new DischargeSummaryComposer(FHIR, Fault.NONE).compose(prompt(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("content");
    }

    @Test
    void theEprRefusesFaultsASenderOfDocumentsCannotShow() {
        assertThatThrownBy(() -> new ReferenceAcuteEpr(java.net.URI.create("http://t/fhir"), Fault.LATE))
                .hasMessageContaining("does not apply");
        assertThatThrownBy(() -> new ReferenceAcuteEpr(java.net.URI.create("http://t/fhir"), Fault.SERVER_ERROR))
                .hasMessageContaining("does not apply");
    }

    private static Prompt prompt(String content) {
        return new Prompt(
                "run-1",
                "acute-sends-summary",
                "reference-epr",
                "SYNAC",
                "discharge-summary",
                "send it",
                content == null ? Map.of() : Map.of(DischargeSummaryComposer.CONTENT, content),
                null,
                AT,
                AT.plusSeconds(10));
    }

    /** The record's content as a prompt carries it: the shipped sample's entries in a collection. */
    private static String content() throws IOException {
        Bundle sample;
        try (InputStream in = DischargeSummaryComposerTest.class
                .getClassLoader()
                .getResourceAsStream("fhir/samples/discharge-summary.json")) {
            sample = FHIR.newJsonParser()
                    .parseResource(
                            Bundle.class,
                            new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${NHS}", "9990000123"));
        }
        Bundle content = new Bundle().setType(Bundle.BundleType.COLLECTION);
        // Composition last: the system puts it first itself.
        sample.getEntry()
                .reversed()
                .forEach(e -> content.addEntry().setFullUrl(e.getFullUrl()).setResource(e.getResource()));
        return FHIR.newJsonParser().encodeResourceToString(content);
    }

    private static Bundle recordOf(String content) {
        return FHIR.newJsonParser().parseResource(Bundle.class, content);
    }

    private static String nhsNumber(Bundle document) {
        return document.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof Patient)
                .map(r -> ((Patient) r).getIdentifierFirstRep().getValue())
                .findFirst()
                .orElseThrow();
    }
}
