package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code POST [base]/Bundle} as a GP system receives a discharge summary: a FHIR document is stored once per {@code
 * Bundle.identifier} (a redelivery answers 200 with the first copy) and filed as a DocumentReference under the patient's
 * NHS number. The {@link Fault} changes what it files or how it answers.
 */
final class DischargeSummaryInbox extends HashMapResourceProvider<Bundle> {

    static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";
    static final String SNOMED = "http://snomed.info/sct";
    static final String DISCHARGE_SUMMARY = "373942005";

    private final Fault fault;
    private final Duration lateDelay;
    private final Hold hold;
    private final HashMapResourceProvider<DocumentReference> documentReferences;
    private final Map<String, Bundle> byIdentifier = new HashMap<>();

    DischargeSummaryInbox(
            FhirContext fhir,
            Fault fault,
            Duration lateDelay,
            Hold hold,
            HashMapResourceProvider<DocumentReference> documentReferences) {
        super(fhir, Bundle.class);
        this.fault = fault;
        this.lateDelay = lateDelay;
        this.hold = hold;
        this.documentReferences = documentReferences;
    }

    @Create
    @Override
    public MethodOutcome create(@ResourceParam Bundle document, RequestDetails request) {
        hold.failOrStall(fault);
        String key = identifierKey(document);
        MethodOutcome outcome;
        boolean firstDelivery;
        synchronized (this) {
            Bundle existing = byIdentifier.get(key);
            firstDelivery = existing == null;
            outcome = firstDelivery ? file(document, key, request) : redelivered(existing);
        }
        if (firstDelivery && fault == Fault.LATE) {
            // Filed, then answered after the sender gave up: its redelivery must not file it twice.
            hold.pause(lateDelay);
        }
        if (fault == Fault.INVALID) {
            outcome.setResource(notValidR4());
        }
        return outcome;
    }

    private MethodOutcome file(Bundle document, String key, RequestDetails request) {
        Patient patient = patientOf(document);
        if (fault == Fault.WRONG_PATIENT) {
            nhsNumberOf(patient).ifPresent(id -> id.setValue(Fault.WRONG_NHS_NUMBER));
        }
        String nhsNumber = nhsNumberOf(patient)
                .map(Identifier::getValue)
                .orElseThrow(() -> refused("the Patient entry has no NHS number identifier (" + NHS_NUMBER + ")"));
        var id = store(document);
        Bundle stored = read(id, request);
        byIdentifier.put(key, stored);
        String location =
                request.getFhirServerBase() + "/Bundle/" + id.getIdPart() + "/_history/" + id.getVersionIdPart();
        documentReferences.store(documentReference(document, nhsNumber, location));
        return new MethodOutcome(id).setCreated(true).setResource(stored);
    }

    private static MethodOutcome redelivered(Bundle existing) {
        return new MethodOutcome(existing.getIdElement()).setCreated(false).setResource(existing);
    }

    private static DocumentReference documentReference(Bundle document, String nhsNumber, String location) {
        DocumentReference reference = new DocumentReference();
        reference.setMasterIdentifier(document.getIdentifier().copy());
        reference.setStatus(DocumentReferenceStatus.CURRENT);
        reference.setType(new CodeableConcept(new Coding(SNOMED, DISCHARGE_SUMMARY, "Discharge summary")));
        reference.setSubject(new Reference()
                .setIdentifier(new Identifier().setSystem(NHS_NUMBER).setValue(nhsNumber)));
        reference.setDate(new Date());
        reference
                .addContent()
                .getAttachment()
                .setContentType("application/fhir+json")
                .setUrl(location);
        return reference;
    }

    private static String identifierKey(Bundle document) {
        if (document.getType() != Bundle.BundleType.DOCUMENT) {
            throw refused("Bundle.type must be document, was " + document.getType());
        }
        Identifier identifier = document.getIdentifier();
        if (identifier == null || !identifier.hasValue()) {
            throw refused("Bundle.identifier is required: it is what makes a redelivery recognisable");
        }
        if (document.getEntry().isEmpty() || !(document.getEntryFirstRep().getResource() instanceof Composition)) {
            throw refused("a document Bundle's first entry must be its Composition");
        }
        return identifier.getSystem() + "|" + identifier.getValue();
    }

    private static Patient patientOf(Bundle document) {
        return document.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                .findFirst()
                .orElseThrow(() -> refused("the document has no Patient entry"));
    }

    static Optional<Identifier> nhsNumberOf(Patient patient) {
        return patient.getIdentifier().stream()
                .filter(i -> NHS_NUMBER.equals(i.getSystem()))
                .findFirst();
    }

    /** An OperationOutcome whose issue lacks its required severity and code: well-formed JSON, not valid R4. */
    static OperationOutcome notValidR4() {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setDiagnostics("filed (fault: invalid answers with this, not valid R4)");
        return outcome;
    }

    private static UnprocessableEntityException refused(String why) {
        return new UnprocessableEntityException("Not a discharge summary this GP system can file: " + why);
    }
}
