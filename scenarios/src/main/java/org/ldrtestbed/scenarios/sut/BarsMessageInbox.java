package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * {@code POST [base]/$process-message} as an ambulance service's system receives a BaRS referral: the message Bundle is
 * kept once per {@code Bundle.identifier} (readable at {@code GET [base]/Bundle?identifier=} and {@code Bundle/{id}}),
 * the referral goes on the dispatch worklist as a Task under the patient's NHS number, and the answer is the
 * standard acknowledgement: a message Bundle whose MessageHeader's {@code response} names the request's MessageHeader
 * with {@code ok}, or {@code fatal-error} for a message it cannot take. The {@link Fault} changes what it keeps or how
 * it answers.
 */
final class BarsMessageInbox extends HashMapResourceProvider<Bundle> {

    static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";
    static final String SOURCE = "https://ambulance.reference.example";

    private final Fault fault;
    private final Duration lateDelay;
    private final Hold hold;
    private final HashMapResourceProvider<Task> worklist;
    private final Map<String, Bundle> byIdentifier = new HashMap<>();

    BarsMessageInbox(
            FhirContext fhir, Fault fault, Duration lateDelay, Hold hold, HashMapResourceProvider<Task> worklist) {
        super(fhir, Bundle.class);
        this.fault = fault;
        this.lateDelay = lateDelay;
        this.hold = hold;
        this.worklist = worklist;
    }

    /** The messages kept, by their {@code Bundle.identifier} ({@code system|value} or value). */
    @Search
    public synchronized List<Bundle> byIdentifier(@RequiredParam(name = Bundle.SP_IDENTIFIER) TokenParam identifier) {
        return byIdentifier.values().stream()
                .filter(b -> identifier.getValue().equals(b.getIdentifier().getValue())
                        && (identifier.getSystem() == null
                                || identifier
                                        .getSystem()
                                        .equals(b.getIdentifier().getSystem())))
                .toList();
    }

    Bundle process(Bundle message, RequestDetails request) {
        hold.failOrStall(fault);
        Optional<String> refusal = refusal(message);
        MessageHeader header = message.getEntryFirstRep().getResource() instanceof MessageHeader h ? h : null;
        String headerId = header == null ? null : header.getIdElement().getIdPart();
        if (refusal.isPresent()) {
            return acknowledgement(header, headerId, "fatal-error", refusal.get());
        }
        boolean firstDelivery;
        synchronized (this) {
            String key = message.getIdentifier().getSystem() + "|"
                    + message.getIdentifier().getValue();
            firstDelivery = !byIdentifier.containsKey(key);
            if (firstDelivery) {
                keep(message, key, request);
            }
        }
        if (firstDelivery && fault == Fault.LATE) {
            // Kept, then answered after the sender gave up: its redelivery must not be kept twice.
            hold.pause(lateDelay);
        }
        return acknowledgement(header, headerId, "ok", null);
    }

    private void keep(Bundle message, String key, RequestDetails request) {
        ServiceRequest referral = referral(message).orElseThrow();
        Identifier nhs = referral.getSubject().getIdentifier();
        if (fault == Fault.WRONG_PATIENT) {
            nhs.setValue(Fault.WRONG_NHS_NUMBER);
        }
        var id = store(message);
        byIdentifier.put(key, read(id, request));
        Task incoming = new Task();
        incoming.setStatus(Task.TaskStatus.REQUESTED);
        incoming.setIntent(Task.TaskIntent.ORDER);
        incoming.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        incoming.setDescription("BaRS referral: "
                + (referral.getCode().hasText() ? referral.getCode().getText() : "urgent care referral"));
        incoming.setFor(new Reference().setIdentifier(nhs.copy()));
        incoming.setFocus(new Reference("Bundle/" + id.getIdPart()));
        incoming.setAuthoredOn(new Date());
        worklist.store(incoming);
    }

    /** Why the message is not a BaRS referral this system can take, or empty. */
    private static Optional<String> refusal(Bundle message) {
        if (message.getType() != Bundle.BundleType.MESSAGE) {
            return Optional.of("Bundle.type must be message, was " + message.getType());
        }
        if (!(message.getEntryFirstRep().getResource() instanceof MessageHeader header) || !header.hasId()) {
            return Optional.of("a message Bundle's first entry must be its MessageHeader, with an id");
        }
        if (!message.getIdentifier().hasValue()) {
            return Optional.of("Bundle.identifier is required: it is what makes a redelivery recognisable");
        }
        Optional<ServiceRequest> referral = referral(message);
        if (referral.isEmpty()) {
            return Optional.of("the MessageHeader's focus is not a ServiceRequest in the Bundle");
        }
        Identifier nhs = referral.get().getSubject().getIdentifier();
        if (nhs == null || !NHS_NUMBER.equals(nhs.getSystem()) || !nhs.hasValue()) {
            return Optional.of("ServiceRequest.subject.identifier must carry the patient's NHS number");
        }
        return Optional.empty();
    }

    private static Optional<ServiceRequest> referral(Bundle message) {
        MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();
        String focus = header.getFocusFirstRep().getReference();
        return message.getEntry().stream()
                .filter(e -> focus != null && focus.equals(e.getFullUrl()))
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(ServiceRequest.class::isInstance)
                .map(ServiceRequest.class::cast)
                .findFirst();
    }

    /** The acknowledgement; with fault {@code invalid}, its MessageHeader lacks the {@code source} R4 requires. */
    private Bundle acknowledgement(MessageHeader request, String requestId, String code, String why) {
        String id = UUID.randomUUID().toString();
        MessageHeader header = new MessageHeader();
        header.setId(id);
        header.setEvent(
                request == null || !request.hasEventCoding()
                        ? new Coding(
                                "https://fhir.nhs.uk/CodeSystem/message-events-bars", "servicerequest-request", null)
                        : request.getEventCoding().copy());
        if (fault != Fault.INVALID) {
            header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint(SOURCE));
        }
        if (request != null && request.getSource().hasEndpoint()) {
            header.addDestination().setEndpoint(request.getSource().getEndpoint());
        }
        header.getResponse()
                .setIdentifier(requestId == null ? "unknown" : requestId)
                .setCode(MessageHeader.ResponseType.fromCode(code));
        Bundle ack = new Bundle().setType(Bundle.BundleType.MESSAGE);
        ack.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + id));
        ack.setTimestamp(new Date());
        ack.addEntry().setFullUrl("urn:uuid:" + id).setResource(header);
        if (why != null) {
            org.hl7.fhir.r4.model.OperationOutcome outcome = new org.hl7.fhir.r4.model.OperationOutcome();
            String outcomeId = UUID.randomUUID().toString();
            outcome.setId(outcomeId);
            outcome.addIssue()
                    .setSeverity(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.FATAL)
                    .setCode(org.hl7.fhir.r4.model.OperationOutcome.IssueType.INVALID)
                    .setDiagnostics("Not a BaRS referral this ambulance service can take: " + why);
            header.getResponse().setDetails(new Reference("urn:uuid:" + outcomeId));
            ack.addEntry().setFullUrl("urn:uuid:" + outcomeId).setResource(outcome);
        }
        return ack;
    }
}
