package org.ldrtestbed.routes.childprotection;

import org.hl7.fhir.r4.model.CarePlan;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Capability (g), the local authority's side of CP-IS: a child's plan is uploaded to the national service, and the
 * authority's own record of the plan is marked as uploaded once CP-IS has accepted it.
 */
public class CpIsPlanUploadRoute extends FlowRoute<CarePlan> {

    public static final String FLOW_CODE = "cp-is-plan-upload";
    public static final String PLAN_TYPES = CpIsPlanUploadTranslator.PLAN_TYPES;

    private final CpIsPlanUploadTranslator translator = new CpIsPlanUploadTranslator();

    public CpIsPlanUploadRoute(SharingFlow flow, FlowWiring wiring) {
        super(
                flow,
                wiring,
                new CpIsPlanUploadDelivery(wiring.fhirContext(), wiring.nationalService("CP-IS"), wiring.record(flow)));
    }

    @Override
    protected CarePlan translate(String message) {
        return translator.toUpload(parseStored(CarePlan.class, message, "plan"));
    }

    @Override
    protected String describe(CarePlan upload) {
        return upload.getCategoryFirstRep().getCodingFirstRep().getCode() + " for "
                + upload.getSubject().getIdentifier().getValue() + " from "
                + upload.getAuthor().getIdentifier().getValue();
    }
}
