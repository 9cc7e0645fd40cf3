package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * The reference acute EPR's own document making: a FHIR document Bundle (its own identifier and timestamp, the
 * Composition first) from the clinical content a prompt's {@code content} fact says its record holds, with the
 * system's fault put in. The testbed judges the result; nothing here checks it.
 *
 * <p>Faults: {@code wrong-patient} names NHS number {@value Fault#WRONG_NHS_NUMBER}; {@code invalid} leaves out the
 * Composition's status and title, which FHIR R4 requires.
 */
final class DischargeSummaryComposer {

    /** The prompt fact holding the record's content (a FHIR collection Bundle). */
    static final String CONTENT = "content";

    private final FhirContext fhirContext;
    private final Fault fault;

    DischargeSummaryComposer(FhirContext fhirContext, Fault fault) {
        this.fhirContext = fhirContext;
        this.fault = fault;
    }

    /**
     * @throws IllegalArgumentException when the prompt says nothing of the document's content
     */
    Bundle compose(Prompt prompt) {
        String content = prompt.facts().get(CONTENT);
        if (content == null || content.isBlank()) {
            throw new IllegalArgumentException("the prompt for step " + prompt.step() + " has no " + CONTENT + " fact");
        }
        Bundle record = fhirContext.newJsonParser().parseResource(Bundle.class, content);
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.setIdentifier(
                new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        // The event's time as the run has it: this system stands in the journey's day.
        document.setTimestamp(Date.from(prompt.at() == null ? Instant.now() : prompt.at()));
        // A document's first entry is its Composition.
        record.getEntry().stream()
                .filter(e -> e.getResource() instanceof Composition)
                .forEach(e -> document.addEntry().setFullUrl(e.getFullUrl()).setResource(e.getResource()));
        record.getEntry().stream()
                .filter(e -> !(e.getResource() instanceof Composition))
                .forEach(e -> document.addEntry().setFullUrl(e.getFullUrl()).setResource(e.getResource()));
        switch (fault) {
            case WRONG_PATIENT ->
                document.getEntry().stream()
                        .filter(e -> e.getResource() instanceof Patient)
                        .flatMap(e -> ((Patient) e.getResource()).getIdentifier().stream())
                        .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                        .forEach(i -> i.setValue(Fault.WRONG_NHS_NUMBER));
            case INVALID ->
                document.getEntry().stream()
                        .filter(e -> e.getResource() instanceof Composition)
                        .map(e -> (Composition) e.getResource())
                        .forEach(c -> {
                            c.setStatus(null);
                            c.setTitle(null);
                        });
            default -> {}
        }
        return document;
    }
}
