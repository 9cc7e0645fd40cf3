package org.ldrtestbed.routes.prescribing;

import org.hl7.fhir.r4.model.MedicationRequest;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.FlowWiring;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.prescribing.EpsPrescriptionTranslator.Prescription;
import org.ldrtestbed.routes.prescribing.EpsPrescriptionTranslator.PrescriptionOrder;

/**
 * Capability (i): a GP's signed prescription goes to the (simulated) Electronic Prescription Service on Spine as a
 * {@code prescription-order} message, and is then ready for download at the patient's nominated pharmacy.
 */
public class EpsPrescriptionRoute extends FlowRoute<PrescriptionOrder> {

    public static final String FLOW_CODE = "eps-prescription";

    private final EpsPrescriptionTranslator translator = new EpsPrescriptionTranslator();

    public EpsPrescriptionRoute(SharingFlow flow, FlowWiring wiring) {
        super(
                flow,
                wiring,
                new EpsPrescriptionDelivery(wiring.fhirContext(), wiring.nationalService("EPS"), wiring.record(flow)));
    }

    @Override
    protected PrescriptionOrder translate(String message) {
        return translator.toOrder(parseStored(MedicationRequest.class, message, "prescription"), now());
    }

    @Override
    protected String describe(PrescriptionOrder order) {
        Prescription prescription = order.prescription();
        return "prescription " + prescription.shortFormId() + " from " + prescription.prescriber() + " for "
                + prescription.pharmacy();
    }
}
