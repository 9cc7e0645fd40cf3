package org.ldrtestbed.routes.onlineservices;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Puts a repeat request in the practice's worklist as a Task awaiting a prescriber's approval, once the practice's
 * record shows the authorisation it is based on is an active repeat; the approved issue then goes to the nominated
 * pharmacy through EPS (flow {@code eps-prescription}).
 */
public final class RepeatRequestDelivery implements FlowDelivery<MedicationRequest> {

    public static final String REQUEST_SYSTEM = "https://fhir.ldr-testbed.example/Id/repeat-request";

    private final RecordDelivery record;

    public RepeatRequestDelivery(RecordDelivery practice) {
        this.record = practice;
    }

    @Override
    public String deliver(MedicationRequest request) {
        MedicationRequest authorisation = record.read(
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
        return RecordDelivery.summarise(record.deliver(worklistEntry(request, authorisation, practice)));
    }

    public static Bundle worklistEntry(MedicationRequest request, MedicationRequest authorisation, String practice) {
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
