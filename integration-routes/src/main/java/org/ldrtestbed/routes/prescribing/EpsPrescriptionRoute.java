package org.ldrtestbed.routes.prescribing;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (i): a GP's signed prescription goes to the (simulated) Electronic Prescription Service on Spine as a
 * {@code prescription-order} message, and is then ready for download at the patient's nominated pharmacy: filed as
 * a Task in the pharmacy's dispensing worklist, identified by the prescription's short-form ID.
 */
public class EpsPrescriptionRoute extends FlowRoute<EpsPrescriptionRoute.Prescription> {

    public static final String FLOW_CODE = "eps-prescription";

    private final FhirContext fhirContext;
    private final NationalService eps;
    private final RecordDelivery delivery;

    public EpsPrescriptionRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            NationalService eps,
            RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.eps = eps;
        this.delivery = delivery;
    }

    /** A prescription ready to send: the request, its short-form ID, who wrote it and where it is to be dispensed. */
    public record Prescription(MedicationRequest request, String shortFormId, String prescriber, String pharmacy) {}

    @Override
    protected Prescription translate(String message) {
        MedicationRequest request = parseStored(fhirContext, MedicationRequest.class, message, "prescription");
        PatientReferences.nhsNumber(
                request.getSubject(),
                "EPS needs the patient's valid NHS number in MedicationRequest.subject.identifier");
        Prescriptions.check(request);
        String prescriber = RecordAttribution.organisationOf(request.getMeta().getSource())
                .orElseThrow(
                        () -> new InvalidMessageException("The prescription does not say which practice wrote it"));
        return new Prescription(
                request,
                Prescriptions.shortFormId(request.getIdElement().getIdPart(), prescriber),
                prescriber,
                Prescriptions.pharmacy(request));
    }

    @Override
    protected String describe(Prescription prescription) {
        return "prescription " + prescription.shortFormId() + " from " + prescription.prescriber() + " for "
                + prescription.pharmacy();
    }

    @Override
    protected String deliver(Prescription prescription) {
        MedicationRequest sent = prescription.request().copy();
        sent.setGroupIdentifier(
                new Identifier().setSystem(Prescriptions.SHORT_FORM_ID).setValue(prescription.shortFormId()));
        eps.post(
                "/eps/FHIR/R4/$process-message",
                fhirContext
                        .newJsonParser()
                        .encodeResourceToString(Prescriptions.message(
                                now(),
                                "prescription-order",
                                prescription.prescriber(),
                                prescription.pharmacy(),
                                sent)));
        return RecordDelivery.summarise(delivery.deliver(worklistEntry(prescription)));
    }

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
