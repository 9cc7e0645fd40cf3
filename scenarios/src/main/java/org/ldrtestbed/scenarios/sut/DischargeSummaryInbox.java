package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
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
 * NHS number; {@code GET [base]/Bundle?identifier=} finds a filed one. A document downloaded from a MESH mailbox is
 * filed the same way ({@link #fileDownloaded}). The {@link Fault} changes what it files or how it answers.
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
            outcome = firstDelivery ? file(document, key, request.getFhirServerBase()) : redelivered(existing);
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

    /**
     * Files a document downloaded from a MESH mailbox, as a POST would, once per {@code Bundle.identifier}; the fault
     * changes what it files as it does for a POST (how and when it answers is the poller's).
     *
     * @param fhirBase this system's FHIR base, for the filed copy's location
     * @return true when it was filed now, false for a document filed before
     * @throws UnprocessableEntityException for a document this GP system cannot file
     */
    synchronized boolean fileDownloaded(Bundle document, String fhirBase) {
        String key = identifierKey(document);
        if (byIdentifier.containsKey(key)) {
            return false;
        }
        file(document, key, fhirBase);
        return true;
    }

    /**
     * {@code GET [base]/Bundle?identifier=system|value}: the filed document of that identifier, so whoever sent it
     * (over MESH, without a Location) can find it.
     */
    @Search
    public List<Bundle> searchByIdentifier(@RequiredParam(name = Bundle.SP_IDENTIFIER) TokenParam identifier) {
        return getStoredResources().stream()
                .filter(b -> b.hasIdentifier()
                        && identifier.getValue().equals(b.getIdentifier().getValue())
                        && (identifier.getSystem() == null
                                || identifier.getSystem().isEmpty()
                                || identifier
                                        .getSystem()
                                        .equals(b.getIdentifier().getSystem())))
                .toList();
    }

    private MethodOutcome file(Bundle document, String key, String fhirBase) {
        Patient patient = patientOf(document);
        if (fault == Fault.WRONG_PATIENT) {
            nhsNumberOf(patient).ifPresent(id -> id.setValue(Fault.WRONG_NHS_NUMBER));
        }
        String nhsNumber = nhsNumberOf(patient)
                .map(Identifier::getValue)
                .orElseThrow(() -> refused("the Patient entry has no NHS number identifier (" + NHS_NUMBER + ")"));
        var id = store(document);
        // No request to filter the read for: this system's own store answers its own code.
        Bundle stored = read(id, null);
        byIdentifier.put(key, stored);
        String location = fhirBase + "/Bundle/" + id.getIdPart() + "/_history/" + id.getVersionIdPart();
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
