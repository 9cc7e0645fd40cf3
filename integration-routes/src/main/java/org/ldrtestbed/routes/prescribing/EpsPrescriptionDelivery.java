package org.ldrtestbed.routes.prescribing;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.prescribing.EpsPrescriptionTranslator.Prescription;
import org.ldrtestbed.routes.prescribing.EpsPrescriptionTranslator.PrescriptionOrder;

/**
 * Sends the order to the (simulated) Electronic Prescription Service on Spine; the prescription is then ready for
 * download at the nominated pharmacy, filed as a Task in its dispensing worklist identified by the short-form ID.
 */
public final class EpsPrescriptionDelivery implements FlowDelivery<PrescriptionOrder> {

    private final FhirContext fhirContext;
    private final NationalService eps;
    private final RecordDelivery pharmacy;

    public EpsPrescriptionDelivery(FhirContext fhirContext, NationalService eps, RecordDelivery pharmacy) {
        this.fhirContext = fhirContext;
        this.eps = eps;
        this.pharmacy = pharmacy;
    }

    @Override
    public String deliver(PrescriptionOrder order) {
        eps.post("/eps/FHIR/R4/$process-message", fhirContext.newJsonParser().encodeResourceToString(order.message()));
        return RecordDelivery.summarise(pharmacy.deliver(worklistEntry(order.prescription())));
    }

    /** The pharmacy's dispensing worklist entry, once per short-form ID. */
    public static Bundle worklistEntry(Prescription prescription) {
        MedicationRequest request = prescription.request();
        Task dispense = new Task();
        dispense.addIdentifier(
                new Identifier().setSystem(Prescriptions.SHORT_FORM_ID).setValue(prescription.shortFormId()));
        dispense.setStatus(Task.TaskStatus.REQUESTED);
        dispense.setBusinessStatus(new CodeableConcept().setText("Ready to download and dispense"));
        dispense.setIntent(Task.TaskIntent.ORDER);
        dispense.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "fulfill", null)));
        dispense.setDescription("EPS prescription " + prescription.shortFormId() + ": "
                + request.getMedicationCodeableConcept().getCodingFirstRep().getDisplay() + " ("
                + request.getCourseOfTherapyType().getCodingFirstRep().getCode() + ")");
        dispense.setFocus(
                new Reference("MedicationRequest/" + request.getIdElement().getIdPart()));
        dispense.setFor(new Reference(request.getSubject().getReference())
                .setIdentifier(request.getSubject().getIdentifier().copy()));
        dispense.setOwner(new Reference("Organization/" + prescription.pharmacy()));
        dispense.setRequester(request.getRequester().copy());
        dispense.setAuthoredOn(request.getAuthoredOn());
        return Filings.createOnce(dispense, Prescriptions.SHORT_FORM_ID, prescription.shortFormId());
    }
}
