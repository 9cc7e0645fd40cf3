package org.ldrtestbed.routes.referral;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FilingRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Capability (d): GP referrals through a simulated e-Referral Service into the provider's triage worklist. */
public class EReferralRoute extends FilingRoute {

    public static final String FLOW_CODE = "e-referral";

    private final FhirContext fhirContext;
    private final EReferralTranslator translator;

    public EReferralRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            EReferralTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers, delivery);
        this.fhirContext = fhirContext;
        this.translator = translator;
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toTriage(parse(fhirContext, ServiceRequest.class, message));
    }

    @Override
    protected String describe(Bundle filing) {
        Task triage = (Task) filing.getEntryFirstRep().getResource();
        return "UBRN " + triage.getIdentifierFirstRep().getValue() + " awaiting triage at "
                + triage.getOwner().getReference();
    }
}
