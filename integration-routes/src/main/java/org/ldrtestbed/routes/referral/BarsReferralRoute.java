package org.ldrtestbed.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.NhsNumber;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Urgent and emergency care referrals in the Booking and Referral Standard's shape: NHS 111's referral (a
 * ServiceRequest to an ambulance service or emergency department) is sent as a BaRS {@code servicerequest-request}
 * message to the receiver's {@code $process-message} endpoint (simulated), and lands in the receiver's worklist as a
 * Task, so the crew or department sees why the patient is coming before they arrive.
 */
public class BarsReferralRoute extends FlowRoute<ServiceRequest> {

    public static final String FLOW_CODE = "bars-referral";
    public static final String BARS_EVENTS = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
    public static final String REFERRAL_SYSTEM = "https://fhir.ldr-testbed.example/Id/bars-referral";

    private final FhirContext fhirContext;
    private final NationalService receiver;
    private final RecordDelivery delivery;

    public BarsReferralRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            NationalService receiver,
            RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.receiver = receiver;
        this.delivery = delivery;
    }

    @Override
    protected ServiceRequest translate(String message) {
        ServiceRequest referral = parseStored(fhirContext, ServiceRequest.class, message, "referral");
        if (!"Patient".equals(referral.getSubject().getReferenceElement().getResourceType())) {
            throw new InvalidMessageException("ServiceRequest.subject must reference the Patient referred");
        }
        if (referral.getPerformer().size() != 1
                || !"Organization"
                        .equals(referral.getPerformerFirstRep()
                                .getReferenceElement()
                                .getResourceType())) {
            throw new InvalidMessageException(
                    "A BaRS referral names one receiving service in ServiceRequest.performer");
        }
        return referral;
    }

    @Override
    protected String describe(ServiceRequest referral) {
        return "BaRS referral ServiceRequest/" + referral.getIdElement().getIdPart() + " to "
                + referral.getPerformerFirstRep().getReference();
    }

    @Override
    protected String deliver(ServiceRequest referral) {
        String nhsNumber = PatientReferences.nhsNumberOf(referral.getSubject(), delivery, "BaRS");
        receiver.post(
                "/bars/FHIR/R4/$process-message",
                fhirContext.newJsonParser().encodeResourceToString(message(referral, nhsNumber, now())));
        return RecordDelivery.summarise(delivery.deliver(worklistEntry(referral)));
    }

    /** The BaRS request message: MessageHeader (event servicerequest-request) focused on the referral. */
    static Bundle message(ServiceRequest referral, String nhsNumber, java.time.Instant timestamp) {
        Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
        message.setIdentifier(new Identifier()
                .setSystem("https://tools.ietf.org/html/rfc4122")
                .setValue(UUID.randomUUID().toString()));
        message.setTimestamp(Date.from(timestamp));
        String focus = "urn:uuid:"
                + UUID.nameUUIDFromBytes(referral.getIdElement().getIdPart().getBytes());
        MessageHeader header = new MessageHeader();
        header.setEvent(new Coding(BARS_EVENTS, "servicerequest-request", "Referral request"));
        header.addDestination()
                .setEndpoint("https://bars.simulated.example/"
                        + referral.getPerformerFirstRep().getReference())
                .setReceiver(referral.getPerformerFirstRep().copy());
        header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint("https://fhir.ldr-testbed.example"));
        header.addFocus(new Reference(focus));
        message.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(header);
        ServiceRequest sent = referral.copy();
        sent.setSubject(new Reference()
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber)));
        message.addEntry().setFullUrl(focus).setResource(sent);
        return message;
    }

    static Bundle worklistEntry(ServiceRequest referral) {
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
