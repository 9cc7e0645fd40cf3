package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/**
 * Sends the BaRS request message to the receiver's (simulated) {@code $process-message} endpoint, and files it in
 * the receiver's worklist as a Task, so the crew or department sees why the patient is coming before they arrive.
 * The message names the patient by the NHS number the shared record holds for the referral's patient.
 */
public final class BarsReferralDelivery implements FlowDelivery<BarsReferralMessage> {

    public static final String REFERRAL_SYSTEM = "https://fhir.ldr-testbed.example/Id/bars-referral";

    private final NationalService receiver;
    private final RecordDelivery record;

    public BarsReferralDelivery(NationalService receiver, RecordDelivery record) {
        this.receiver = receiver;
        this.record = record;
    }

    @Override
    public String deliver(BarsReferralMessage message) {
        receiver.post("/bars/FHIR/R4/$process-message", message.wire());
        return RecordDelivery.summarise(record.deliver(worklistEntry(message.referral())));
    }

    /** The receiver's worklist entry for the referral, once per referral. */
    public static Bundle worklistEntry(ServiceRequest referral) {
        String id = referral.getIdElement().getIdPart();
        Task incoming = new Task();
        incoming.addIdentifier(new Identifier().setSystem(REFERRAL_SYSTEM).setValue(id));
        incoming.setStatus(Task.TaskStatus.REQUESTED);
        incoming.setBusinessStatus(new CodeableConcept().setText("Referral received (BaRS)"));
        incoming.setIntent(Task.TaskIntent.ORDER);
        incoming.setPriority(
                referral.getPriority() == null
                        ? Task.TaskPriority.ROUTINE
                        : Task.TaskPriority.fromCode(referral.getPriority().toCode()));
        incoming.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        incoming.setDescription("BaRS referral: "
                + (referral.getCode().hasText() ? referral.getCode().getText() : "urgent care referral")
                + (referral.hasNote() ? " - " + referral.getNoteFirstRep().getText() : ""));
        incoming.setFocus(new Reference("ServiceRequest/" + id));
        incoming.setFor(new Reference(referral.getSubject().getReference()));
        incoming.setOwner(referral.getPerformerFirstRep().copy());
        incoming.setRequester(referral.getRequester().copy());
        incoming.setAuthoredOn(referral.getAuthoredOn());
        return Filings.createOnce(incoming, REFERRAL_SYSTEM, id);
    }
}
