package org.ldrtestbed.routes.referral;

import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/** Capability (d): GP referrals through a simulated e-Referral Service into the provider's triage worklist. */
public class EReferralRoute extends FlowRoute<ServiceRequest> {

    public static final String FLOW_CODE = "e-referral";

    private final EReferralTranslator translator = new EReferralTranslator();

    public EReferralRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new EReferralDelivery(wiring.record(flow)));
    }

    @Override
    protected ServiceRequest translate(String message) {
        return translator.toReferral(parse(ServiceRequest.class, message));
    }

    @Override
    protected String describe(ServiceRequest referral) {
        return "UBRN " + EReferralDelivery.ubrn(referral) + " awaiting triage at "
                + referral.getPerformerFirstRep().getReference();
    }
}
