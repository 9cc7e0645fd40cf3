package org.ldrtestbed.routes.prescribing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.prescribing.EpsPrescriptionTranslator.PrescriptionOrder;

class EpsPrescriptionTranslatorTest {

    private static final Instant SIGNED = Instant.parse("2026-01-12T11:00:00Z");

    private final EpsPrescriptionTranslator translator = new EpsPrescriptionTranslator();

    @Test
    void aSignedPrescriptionTravelsAsAnEpsPrescriptionOrderWithItsShortFormId() {
        PrescriptionOrder order = translator.toOrder(prescription(p -> {}), SIGNED);

        Bundle message = order.message();
        assertThat(message.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
        assertThat(message.getTimestamp().toInstant()).isEqualTo(SIGNED);
        MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();
        assertThat(header.getEventCoding().getSystem()).isEqualTo(Prescriptions.MESSAGE_EVENT);
        assertThat(header.getEventCoding().getCode()).isEqualTo("prescription-order");
        assertThat(header.getSender().getIdentifier().getValue()).isEqualTo("SYNG09");
        assertThat(header.getDestinationFirstRep().getReceiver().getIdentifier().getValue())
                .isEqualTo("SYNRX1");
        assertThat(header.getFocusFirstRep().getReference())
                .isEqualTo(message.getEntry().get(1).getFullUrl());

        MedicationRequest sent = (MedicationRequest) message.getEntry().get(1).getResource();
        String shortFormId = sent.getGroupIdentifier().getValue();
        assertThat(sent.getGroupIdentifier().getSystem()).isEqualTo(Prescriptions.SHORT_FORM_ID);
        // XXXXXX-<prescriber ODS, 6>-XXXXX and the MOD 37-2 check character of the rest.
        assertThat(shortFormId).matches("[0-9A-F]{6}-SYNG09-[0-9A-F]{5}[0-9A-Z+]");
        assertThat(shortFormId.charAt(shortFormId.length() - 1))
                .isEqualTo(Prescriptions.checkCharacter(
                        shortFormId.substring(0, shortFormId.length() - 1).replace("-", "")));
        assertThat(shortFormId).isEqualTo(order.prescription().shortFormId());
        assertThat(sent.getSubject().getIdentifier().getValue()).isEqualTo("9990000018");
    }

    @Test
    void thePharmacyGetsItOnceInItsDispensingWorklist() {
        PrescriptionOrder order = translator.toOrder(prescription(p -> {}), SIGNED);

        Bundle filing = EpsPrescriptionDelivery.worklistEntry(order.prescription());

        org.hl7.fhir.r4.model.Task task =
                (org.hl7.fhir.r4.model.Task) filing.getEntryFirstRep().getResource();
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/SYNRX1");
        assertThat(task.getFocus().getReference()).isEqualTo("MedicationRequest/8");
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .startsWith("identifier=" + Prescriptions.SHORT_FORM_ID + "|");
    }

    @Test
    void epsRefusesAPrescriptionWithoutNhsNumberOrPrescriber() {
        assertThatThrownBy(() ->
                        translator.toOrder(prescription(p -> p.getSubject().setIdentifier(null)), SIGNED))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
        assertThatThrownBy(
                        () -> translator.toOrder(prescription(p -> p.getMeta().setSource(null)), SIGNED))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("which practice");
        assertThatThrownBy(() -> translator.toOrder(
                        prescription(p -> p.setIntent(MedicationRequestIntent.INSTANCEORDER)), SIGNED))
                .hasMessageContaining("not a valid EPS prescription");
    }

    private static MedicationRequest prescription(Consumer<MedicationRequest> change) {
        MedicationRequest request = new MedicationRequest();
        request.setId("MedicationRequest/8");
        request.getMeta().setSource(RecordAttribution.SOURCE_BASE + "SYNG09/gp.ashdown");
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequestIntent.ORDER);
        request.setCourseOfTherapyType(new CodeableConcept(new Coding(Prescriptions.COURSE, "acute", null)));
        request.setMedication(
                new CodeableConcept(new Coding("http://snomed.info/sct", "39732311000001104", "Amoxicillin")));
        request.setSubject(new Reference("Patient/5")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000018")));
        request.setRequester(new Reference("Practitioner/sds-900000000101"));
        request.getDispenseRequest().setPerformer(new Reference("Organization/SYNRX1"));
        change.accept(request);
        return request;
    }
}
