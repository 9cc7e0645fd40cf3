package org.ldrtestbed.routes.onlineservices;

import org.hl7.fhir.r4.model.MedicationRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/** Capability (j): a patient orders a repeat online; the request lands in the practice's approval worklist. */
public class RepeatRequestRoute extends FlowRoute<MedicationRequest> {

    public static final String FLOW_CODE = "repeat-prescription-request";

    private final RepeatRequestTranslator translator = new RepeatRequestTranslator();

    public RepeatRequestRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new RepeatRequestDelivery(wiring.record(flow)));
    }

    @Override
    protected MedicationRequest translate(String message) {
        return translator.toRepeatRequest(parseStored(MedicationRequest.class, message, "repeat request"));
    }

    @Override
    protected String describe(MedicationRequest request) {
        return "repeat of " + request.getBasedOnFirstRep().getReference();
    }
}
