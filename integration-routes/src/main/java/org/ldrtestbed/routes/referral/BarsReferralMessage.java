package org.ldrtestbed.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.sut.WireMessage;

/**
 * The BaRS request message as it travels: the translator's message Bundle, completed on delivery with what only the
 * shared record knows. The referral names its patient and the receiving service by reference; BaRS needs the
 * patient's NHS number in the message and a system under test is bound by the receiver's ODS code, so both are read
 * from the record when first asked for (at delivery, never when the dispatcher checks a write), then kept.
 */
public final class BarsReferralMessage implements WireMessage {

    private final Bundle message;
    private final FhirContext fhirContext;
    private final Function<Reference, String> nhsNumberOf;
    private final Function<Reference, String> odsCodeOf;
    private String nhsNumber;
    private String recipient;

    /**
     * @param message the translator's {@code servicerequest-request} message
     * @param nhsNumberOf the valid NHS number of the patient a reference names, from the record
     * @param odsCodeOf the ODS code of the organisation a reference names, from the record
     */
    public BarsReferralMessage(
            Bundle message,
            FhirContext fhirContext,
            Function<Reference, String> nhsNumberOf,
            Function<Reference, String> odsCodeOf) {
        this.message = message;
        this.fhirContext = fhirContext;
        this.nhsNumberOf = nhsNumberOf;
        this.odsCodeOf = odsCodeOf;
    }

    /** The message Bundle; after {@link #nhsNumber()}, its referral names the patient by NHS number too. */
    public Bundle message() {
        return message;
    }

    /** The referral the message carries. */
    public ServiceRequest referral() {
        return BarsReferralTranslator.referral(message);
    }

    /** The MessageHeader's id, which the receiver's acknowledgement answers. */
    public String headerId() {
        return message.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }

    /** The patient's NHS number from the record, written into the referral's subject once read. */
    @Override
    public synchronized String nhsNumber() {
        if (nhsNumber == null) {
            Reference subject = referral().getSubject();
            nhsNumber = nhsNumberOf.apply(subject);
            subject.setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber));
        }
        return nhsNumber;
    }

    /** The receiving service's ODS code: a system under test can take its place. */
    @Override
    public synchronized String recipient() {
        if (recipient == null) {
            recipient =
                    odsCodeOf.apply(((MessageHeader) message.getEntryFirstRep().getResource())
                            .getDestinationFirstRep()
                            .getReceiver());
        }
        return recipient;
    }

    /** The message Bundle as JSON, naming the patient by NHS number as BaRS requires. */
    @Override
    public String wire() {
        nhsNumber();
        return fhirContext.newJsonParser().encodeResourceToString(message);
    }
}
