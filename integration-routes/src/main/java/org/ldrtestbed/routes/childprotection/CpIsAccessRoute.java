package org.ldrtestbed.routes.childprotection;

import org.hl7.fhir.r4.model.Encounter;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.childprotection.CpIsAccessTranslator.CpIsQuery;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Capability (g), CP-IS: when a child presents to unscheduled care, the route asks the (simulated) Child Protection -
 * Information Sharing service whether the child is on a plan, and if so alerts the clinicians and tells the local
 * authority.
 */
public class CpIsAccessRoute extends FlowRoute<CpIsQuery> {

    public static final String FLOW_CODE = "cp-is-access";

    private final CpIsAccessTranslator translator = new CpIsAccessTranslator();

    public CpIsAccessRoute(SharingFlow flow, FlowWiring wiring) {
        super(
                flow,
                wiring,
                new CpIsAccessDelivery(
                        wiring.fhirContext(), wiring.nationalService("CP-IS"), wiring.record(flow), wiring.clock()));
    }

    @Override
    protected CpIsQuery translate(String message) {
        return translator.toQuery(parseStored(Encounter.class, message, "encounter"));
    }

    @Override
    protected String describe(CpIsQuery query) {
        Encounter encounter = query.encounter();
        return "CP-IS lookup for " + encounter.getSubject().getReference() + " seen in Encounter/"
                + encounter.getIdElement().getIdPart();
    }
}
