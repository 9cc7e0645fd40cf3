package org.ldrtestbed.routes.eol;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DocumentReference;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;

/** Capability (h): end-of-life care plans made findable to urgent and emergency care through a pointer. */
public class EolPointerRoute extends FlowRoute<DocumentReference> {

    public static final String FLOW_CODE = "eol-pointer";

    private final EolPointerTranslator translator = new EolPointerTranslator();

    public EolPointerRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new EolPointerDelivery(wiring.record(flow)));
    }

    @Override
    protected DocumentReference translate(String message) {
        return translator.toPointer(parse(CarePlan.class, message));
    }

    @Override
    protected String describe(DocumentReference pointer) {
        return "pointer to " + pointer.getContentFirstRep().getAttachment().getUrl();
    }
}
