package org.ldrtestbed.routes.referral;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * NHS 111's referral (a ServiceRequest to an ambulance service or emergency department) as a Booking and Referral
 * Standard {@code servicerequest-request} message: a message Bundle whose MessageHeader is addressed to the one
 * receiving service and focused on the referral.
 */
public final class BarsReferralTranslator {

    public static final String BARS_EVENTS = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
    public static final String EVENT = "servicerequest-request";

    /**
     * The BaRS request message. The referral names its patient by reference; the NHS number BaRS requires is the
     * patient's in the shared record, added on delivery ({@link BarsReferralDelivery}).
     *
     * @param now when the message is sent (Bundle.timestamp)
     * @throws InvalidMessageException when the referral cannot travel by BaRS
     */
    public Bundle toMessage(ServiceRequest referral, Instant now) {
        if (referral.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The referral has no id in the record it was written to");
        }
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
        Bundle message = new Bundle().setType(Bundle.BundleType.MESSAGE);
        message.setIdentifier(new Identifier()
                .setSystem("https://tools.ietf.org/html/rfc4122")
                .setValue(UUID.randomUUID().toString()));
        message.setTimestamp(Date.from(now));
        String focus = "urn:uuid:"
                + UUID.nameUUIDFromBytes(referral.getIdElement().getIdPart().getBytes());
        // The receiver's acknowledgement names the request by its MessageHeader's id.
        String headerId = UUID.randomUUID().toString();
        MessageHeader header = new MessageHeader();
        header.setId(headerId);
        header.setEvent(new Coding(BARS_EVENTS, EVENT, "Referral request"));
        header.addDestination()
                .setEndpoint("https://bars.simulated.example/"
                        + referral.getPerformerFirstRep().getReference())
                .setReceiver(referral.getPerformerFirstRep().copy());
        header.setSource(new MessageHeader.MessageSourceComponent().setEndpoint("https://fhir.ldr-testbed.example"));
        header.addFocus(new Reference(focus));
        message.addEntry().setFullUrl("urn:uuid:" + headerId).setResource(header);
        ServiceRequest sent = referral.copy();
        sent.setSubject(new Reference(referral.getSubject().getReference()));
        message.addEntry().setFullUrl(focus).setResource(sent);
        return message;
    }

    /** The referral a BaRS request message carries (its MessageHeader's focus). */
    public static ServiceRequest referral(Bundle message) {
        String focus = ((MessageHeader) message.getEntryFirstRep().getResource())
                .getFocusFirstRep()
                .getReference();
        return message.getEntry().stream()
                .filter(e -> focus.equals(e.getFullUrl()))
                .map(e -> (ServiceRequest) e.getResource())
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("The BaRS message has no focus entry " + focus));
    }
}
