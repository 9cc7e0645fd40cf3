package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Urgent and emergency care referrals in the Booking and Referral Standard's shape: NHS 111's referral travels as a
 * BaRS {@code servicerequest-request} message to the receiving ambulance service or emergency department.
 */
public class BarsReferralRoute extends FlowRoute<Bundle> {

    public static final String FLOW_CODE = "bars-referral";

    private final BarsReferralTranslator translator = new BarsReferralTranslator();

    public BarsReferralRoute(SharingFlow flow, FlowWiring wiring) {
        super(
                flow,
                wiring,
                new BarsReferralDelivery(
                        wiring.fhirContext(), wiring.nationalService("BaRS receiver"), wiring.record(flow)));
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toMessage(parse(ServiceRequest.class, message), now());
    }

    @Override
    protected String describe(Bundle message) {
        ServiceRequest referral = BarsReferralTranslator.referral(message);
        return "BaRS referral ServiceRequest/" + referral.getIdElement().getIdPart() + " to "
                + referral.getPerformerFirstRep().getReference();
    }
}
