package org.ldrtestbed.routes.prescribing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.prescribing.EpsDispenseNotificationTranslator.DispenseNotification;

class EpsDispenseNotificationTranslatorTest {

    private static final Instant HANDED_OVER = Instant.parse("2026-01-12T15:00:00Z");

    private final EpsDispenseNotificationTranslator translator = new EpsDispenseNotificationTranslator();

    @Test
    void aDispenseTravelsAsAnEpsDispenseNotificationFromThePharmacy() {
        DispenseNotification notification = translator.toNotification(dispense(d -> {}), HANDED_OVER);

        Bundle message = notification.message();
        assertThat(message.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
        MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();
        assertThat(header.getEventCoding().getSystem()).isEqualTo(Prescriptions.MESSAGE_EVENT);
        assertThat(header.getEventCoding().getCode()).isEqualTo("dispense-notification");
        assertThat(header.getSender().getIdentifier().getValue()).isEqualTo("SYNRX1");
        assertThat(header.getFocusFirstRep().getReference())
                .isEqualTo(message.getEntry().get(1).getFullUrl());
        MedicationDispense sent = (MedicationDispense) message.getEntry().get(1).getResource();
        assertThat(sent.getSubject().getIdentifier().getValue()).isEqualTo("9990000018");
        assertThat(notification.pharmacy()).isEqualTo("SYNRX1");
        // Addressed on delivery, to the practice the shared record says wrote the prescription.
        assertThat(header.hasDestination()).isFalse();
        Prescriptions.address(message, "SYNG09");
        assertThat(header.getDestinationFirstRep().getReceiver().getIdentifier().getValue())
                .isEqualTo("SYNG09");
    }

    @Test
    void aDispenseMustNameThePrescriptionPatientAndPharmacy() {
        assertThatThrownBy(() -> translator.toNotification(
                        dispense(d -> d.getAuthorizingPrescription().clear()), HANDED_OVER))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("authorizingPrescription");
        assertThatThrownBy(() -> translator.toNotification(
                        dispense(d -> d.getSubject().getIdentifier().setValue("9990000019")), HANDED_OVER))
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() ->
                        translator.toNotification(dispense(d -> d.getMeta().setSource(null)), HANDED_OVER))
                .hasMessageContaining("which pharmacy");
    }

    private static MedicationDispense dispense(Consumer<MedicationDispense> change) {
        MedicationDispense dispense = new MedicationDispense();
        dispense.setId("MedicationDispense/21");
        dispense.getMeta().setSource(RecordAttribution.SOURCE_BASE + "SYNRX1/pharmacist.okafor");
        dispense.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
        dispense.setSubject(new Reference("Patient/5")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000018")));
        dispense.addAuthorizingPrescription(new Reference("MedicationRequest/8"));
        change.accept(dispense);
        return dispense;
    }
}
