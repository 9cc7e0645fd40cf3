package org.ldrtestbed.routes.discharge;

import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SystemUnderTest;

/**
 * Capability (e): carries the acute trust's discharge summary from the flow's durable queue to the patient's GP
 * practice, where it is filed as a DocumentReference with a Task per requested action.
 */
public class DischargeSummaryRoute extends FlowRoute<DischargeDocument> {

    public static final String FLOW_CODE = "discharge-summary";

    private final DischargeSummaryTranslator translator = new DischargeSummaryTranslator();

    public DischargeSummaryRoute(SharingFlow flow, FlowWiring wiring) {
        super(flow, wiring, new DischargeSummaryDelivery(wiring.record(flow)));
    }

    /** The document goes to a GP system under test as it is, created at its FHIR base: the GP system files it. */
    @Override
    public boolean deliversToSystemsUnderTest(String transport) {
        return SystemUnderTest.FHIR_REST.equals(transport) || SystemUnderTest.MESH.equals(transport);
    }

    @Override
    protected DischargeDocument translate(String message) {
        return translator.toDocument(parse(Bundle.class, message), message);
    }

    @Override
    protected String describe(DischargeDocument summary) {
        return "discharge summary " + summary.document().getIdentifier().getValue() + " for the GP practice "
                + summary.gpPractice() + ": "
                + DischargeSummaryTranslator.plans(summary.composition()).stream()
                        .mapToInt(s -> s.getEntry().size())
                        .sum()
                + " requested actions";
    }
}
