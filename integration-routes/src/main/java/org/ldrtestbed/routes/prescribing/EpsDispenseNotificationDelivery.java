package org.ldrtestbed.routes.prescribing;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Instant;
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
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.prescribing.EpsDispenseNotificationTranslator.DispenseNotification;

/**
 * Addresses the dispense notification to the practice that wrote the prescription, sends it through the (simulated)
 * EPS, and tells the practice: a Communication about the dispense and the prescription it fulfils, once per dispense.
 */
public final class EpsDispenseNotificationDelivery implements FlowDelivery<DispenseNotification> {

    public static final String NOTIFICATION_SYSTEM = "https://fhir.ldr-testbed.example/Id/eps-dispense-notification";

    private final FhirContext fhirContext;
    private final NationalService eps;
    private final RecordDelivery record;
    private final Clock clock;

    public EpsDispenseNotificationDelivery(
            FhirContext fhirContext, NationalService eps, RecordDelivery record, Clock clock) {
        this.fhirContext = fhirContext;
        this.eps = eps;
        this.record = record;
        this.clock = clock;
    }

    @Override
    public String deliver(DispenseNotification notification) {
        MedicationDispense dispense = notification.dispense();
        MedicationRequest prescription = record.read(
                MedicationRequest.class,
                dispense.getAuthorizingPrescriptionFirstRep().getReference());
        String practice = RecordAttribution.organisationOf(
                        prescription.getMeta().getSource())
                .orElseThrow(() ->
                        new InvalidMessageException("The prescription dispensed does not say which practice wrote it"));
        Prescriptions.address(notification.message(), practice);
        eps.post(
                "/eps/FHIR/R4/$process-message",
                fhirContext.newJsonParser().encodeResourceToString(notification.message()));
        return RecordDelivery.summarise(record.deliver(
                notification(dispense, prescription, notification.pharmacy(), practice, clock.instant())));
    }

    public static Bundle notification(
            MedicationDispense dispense,
            MedicationRequest prescription,
            String pharmacy,
            String practice,
            Instant now) {
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
        notice.setSent(Date.from(now));
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
