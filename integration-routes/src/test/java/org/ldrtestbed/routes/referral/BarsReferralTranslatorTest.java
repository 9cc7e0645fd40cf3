package org.ldrtestbed.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class BarsReferralTranslatorTest {

    private static final Instant SENT = Instant.parse("2026-01-12T10:30:00Z");

    private final BarsReferralTranslator translator = new BarsReferralTranslator();

    @Test
    void theReferralTravelsAsABarsRequestMessageFocusedOnTheServiceRequest() {
        Bundle message = translator.toMessage(referral(), SENT);

        assertThat(message.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
        assertThat(message.getTimestamp().toInstant()).isEqualTo(SENT);
        MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();
        assertThat(header.getEventCoding().getSystem()).isEqualTo(BarsReferralTranslator.BARS_EVENTS);
        assertThat(header.getEventCoding().getCode()).isEqualTo("servicerequest-request");
        assertThat(header.getDestinationFirstRep().getReceiver().getReference()).isEqualTo("Organization/SYNAM");
        assertThat(header.getFocusFirstRep().getReference())
                .isEqualTo(message.getEntry().get(1).getFullUrl());
        assertThat(BarsReferralTranslator.referral(message).getCode().getText()).contains("face-to-face");
    }

    @Test
    void theMessageNamesThePatientByReferenceForTheDeliveryToAddTheRecordsNhsNumber() {
        ServiceRequest withIdentifier = referral();
        withIdentifier
                .getSubject()
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000077"));

        ServiceRequest sent = BarsReferralTranslator.referral(translator.toMessage(withIdentifier, SENT));

        assertThat(sent.getSubject().getReference()).isEqualTo("Patient/7");
        assertThat(sent.getSubject().hasIdentifier()).isFalse();
    }

    @Test
    void aReferralToNoOneOrToSeveralServicesIsRefused() {
        ServiceRequest toNoOne = referral();
        toNoOne.getPerformer().clear();
        assertThatThrownBy(() -> translator.toMessage(toNoOne, SENT))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("one receiving service");
        ServiceRequest toTwo = referral();
        toTwo.addPerformer(new Reference("Organization/SYNAC"));
        assertThatThrownBy(() -> translator.toMessage(toTwo, SENT)).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void theReceiverGetsItOnceInItsWorklist() {
        Bundle filing = BarsReferralDelivery.worklistEntry(
                BarsReferralTranslator.referral(translator.toMessage(referral(), SENT)));

        Task task = (Task) filing.getEntryFirstRep().getResource();
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/SYNAM");
        assertThat(task.getFocus().getReference()).isEqualTo("ServiceRequest/42");
        assertThat(task.getFor().getReference()).isEqualTo("Patient/7");
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.URGENT);
        assertThat(task.getDescription()).contains("face-to-face").contains("retains CO2");
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + BarsReferralDelivery.REFERRAL_SYSTEM + "|42");
    }

    private static ServiceRequest referral() {
        ServiceRequest referral = new ServiceRequest();
        referral.setId("ServiceRequest/42");
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
        referral.getCode().setText("Ambulance response - face-to-face assessment at home");
        referral.addNote().setText("Known COPD, retains CO2.");
        referral.setSubject(new Reference("Patient/7"));
        referral.addPerformer(new Reference("Organization/SYNAM"));
        referral.setRequester(new Reference("Practitioner/sds-900000000103"));
        return referral;
    }
}
