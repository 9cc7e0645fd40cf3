package org.ldrtestbed.routes.prescribing;

import ca.uhn.fhir.context.FhirContext;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
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
 * Capability (i): the pharmacy's dispense goes back through the (simulated) EPS as a {@code dispense-notification}
 * and the prescribing practice is told, as a Communication about the dispense and the prescription it fulfils.
 */
public class EpsDispenseNotificationRoute extends FlowRoute<MedicationDispense> {

    public static final String FLOW_CODE = "eps-dispense-notification";
    public static final String NOTIFICATION_SYSTEM = "https://fhir.ldr-testbed.example/Id/eps-dispense-notification";

    private final FhirContext fhirContext;
    private final NationalService eps;
    private final RecordDelivery delivery;

    public EpsDispenseNotificationRoute(
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

    @Override
    protected MedicationDispense translate(String message) {
        MedicationDispense dispense = parseStored(fhirContext, MedicationDispense.class, message, "dispense");
        PatientReferences.nhsNumber(
                dispense.getSubject(),
                "EPS needs the patient's valid NHS number in MedicationDispense.subject.identifier");
        if (!dispense.hasAuthorizingPrescription()
                || !"MedicationRequest"
                        .equals(dispense.getAuthorizingPrescriptionFirstRep()
                                .getReferenceElement()
                                .getResourceType())) {
            throw new InvalidMessageException(
                    "MedicationDispense.authorizingPrescription must reference the MedicationRequest dispensed");
        }
        return dispense;
    }

    @Override
    protected String describe(MedicationDispense dispense) {
        return "dispense of " + dispense.getAuthorizingPrescriptionFirstRep().getReference();
    }

    @Override
    protected String deliver(MedicationDispense dispense) {
        String pharmacy = RecordAttribution.organisationOf(dispense.getMeta().getSource())
                .orElseThrow(() -> new InvalidMessageException("The dispense does not say which pharmacy made it"));
        MedicationRequest prescription = delivery.read(
                MedicationRequest.class,
                dispense.getAuthorizingPrescriptionFirstRep().getReference());
        String practice = RecordAttribution.organisationOf(
                        prescription.getMeta().getSource())
                .orElseThrow(() ->
                        new InvalidMessageException("The prescription dispensed does not say which practice wrote it"));
        eps.post(
                "/eps/FHIR/R4/$process-message",
                fhirContext
                        .newJsonParser()
                        .encodeResourceToString(Prescriptions.message(
                                now(), "dispense-notification", pharmacy, practice, dispense.copy())));
        return RecordDelivery.summarise(
                delivery.deliver(notification(dispense, prescription, pharmacy, practice, now())));
    }

    static Bundle notification(
            MedicationDispense dispense,
            MedicationRequest prescription,
            String pharmacy,
            String practice,
            java.time.Instant sent) {
        String dispenseId = dispense.getIdElement().getIdPart();
        Communication notice = new Communication();
        notice.addIdentifier(new Identifier().setSystem(NOTIFICATION_SYSTEM).setValue(dispenseId));
        notice.setStatus(Communication.CommunicationStatus.COMPLETED);
        notice.addCategory(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/communication-category", "notification", null)));
        notice.setSubject(new Reference(dispense.getSubject().getReference()));
        notice.addAbout(new Reference("MedicationDispense/" + dispenseId));
        notice.addAbout(
                new Reference("MedicationRequest/" + prescription.getIdElement().getIdPart()));
        notice.addRecipient(new Reference("Organization/" + practice));
        notice.setSender(new Reference("Organization/" + pharmacy));
        notice.setSent(Date.from(sent));
        String medicine =
                prescription.getMedicationCodeableConcept().getCodingFirstRep().getDisplay();
        notice.addPayload()
                .setContent(new StringType("EPS dispense notification: " + medicine + " dispensed by " + pharmacy
                        + (dispense.hasWhenHandedOver()
                                ? " on " + dispense.getWhenHandedOverElement().getValueAsString()
                                : "")));
        return Filings.createOnce(notice, NOTIFICATION_SYSTEM, dispenseId);
    }
}
