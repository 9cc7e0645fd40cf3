package org.ldrtestbed.routes.onlineservices;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (j): a patient orders a repeat online. The request (a MedicationRequest {@code proposal} based on one of
 * the practice's active repeat authorisations) lands in the practice's worklist as a Task awaiting a prescriber's
 * approval; the approved issue then goes to the nominated pharmacy through EPS (flow {@code eps-prescription}).
 */
public class RepeatRequestRoute extends FlowRoute<MedicationRequest> {

    public static final String FLOW_CODE = "repeat-prescription-request";
    public static final String REQUEST_SYSTEM = "https://fhir.ldr-testbed.example/Id/repeat-request";

    private final FhirContext fhirContext;
    private final RecordDelivery delivery;

    public RepeatRequestRoute(
            SharingFlow flow, MessageLog log, int consumers, FhirContext fhirContext, RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.delivery = delivery;
    }

    @Override
    protected MedicationRequest translate(String message) {
        MedicationRequest request = parseStored(fhirContext, MedicationRequest.class, message, "repeat request");
        PatientReferences.nhsNumber(
                request.getSubject(), "A repeat request needs the patient's valid NHS number in subject.identifier");
        if (request.getBasedOn().size() != 1
                || !"MedicationRequest"
                        .equals(request.getBasedOnFirstRep()
                                .getReferenceElement()
                                .getResourceType())) {
            throw new InvalidMessageException(
                    "A repeat request is based on exactly one repeat authorisation (MedicationRequest.basedOn)");
        }
        return request;
    }

    @Override
    protected String describe(MedicationRequest request) {
        return "repeat of " + request.getBasedOnFirstRep().getReference();
    }

    @Override
    protected String deliver(MedicationRequest request) {
        MedicationRequest authorisation = delivery.read(
                MedicationRequest.class, request.getBasedOnFirstRep().getReference());
        if (authorisation.getIntent() != MedicationRequest.MedicationRequestIntent.PLAN
                || authorisation.getStatus() != MedicationRequest.MedicationRequestStatus.ACTIVE) {
            throw new InvalidMessageException(request.getBasedOnFirstRep().getReference()
                    + " is not an active repeat authorisation (intent plan, status active)");
        }
        String practice = RecordAttribution.organisationOf(
                        authorisation.getMeta().getSource())
                .orElseThrow(
                        () -> new InvalidMessageException("The authorisation does not say which practice holds it"));
        return RecordDelivery.summarise(delivery.deliver(worklistEntry(request, authorisation, practice)));
    }

    static Bundle worklistEntry(MedicationRequest request, MedicationRequest authorisation, String practice) {
        String id = request.getIdElement().getIdPart();
        Task approval = new Task();
        approval.addIdentifier(new Identifier().setSystem(REQUEST_SYSTEM).setValue(id));
        approval.setStatus(Task.TaskStatus.REQUESTED);
        approval.setBusinessStatus(new CodeableConcept().setText("Awaiting prescriber approval"));
        approval.setIntent(Task.TaskIntent.ORDER);
        approval.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "approve", null)));
        approval.setDescription("Online repeat request: "
                + authorisation
                        .getMedicationCodeableConcept()
                        .getCodingFirstRep()
                        .getDisplay());
        approval.setFocus(new Reference("MedicationRequest/" + id));
        approval.addBasedOn(new Reference(
                "MedicationRequest/" + authorisation.getIdElement().getIdPart()));
        approval.setFor(new Reference(request.getSubject().getReference())
                .setIdentifier(request.getSubject().getIdentifier().copy()));
        approval.setOwner(new Reference("Organization/" + practice));
        approval.setAuthoredOn(request.getAuthoredOn());
        return Filings.createOnce(approval, REQUEST_SYSTEM, id);
    }
}
