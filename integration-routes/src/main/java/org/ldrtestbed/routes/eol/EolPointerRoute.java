package org.ldrtestbed.routes.eol;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.DocumentReference;
import org.ldrtestbed.routes.FilingRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.Supersession;
import org.ldrtestbed.routes.messagelog.MessageLog;

/** Capability (h): end-of-life care plans made findable to urgent and emergency care through a pointer. */
public class EolPointerRoute extends FilingRoute {

    public static final String FLOW_CODE = "eol-pointer";

    private final FhirContext fhirContext;
    private final EolPointerTranslator translator;

    public EolPointerRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            EolPointerTranslator translator,
            RecordDelivery delivery) {
        super(flow, log, consumers, delivery);
        this.fhirContext = fhirContext;
        this.translator = translator;
    }

    @Override
    protected Bundle translate(String message) {
        return translator.toPointer(parse(fhirContext, CarePlan.class, message));
    }

    /** Files the new pointer, then marks the pointers of the plans it replaces superseded, so only one is current. */
    @Override
    protected String deliver(Bundle filing) {
        String filed = super.deliver(filing);
        return filed
                + Supersession.supersedeReplaced(
                        (DocumentReference) filing.getEntryFirstRep().getResource(), delivery());
    }

    @Override
    protected String describe(Bundle filing) {
        return "pointer to " + filing.getEntryFirstRep().getResource().getIdElement();
    }
}
