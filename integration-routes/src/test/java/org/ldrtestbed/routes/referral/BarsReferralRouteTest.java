package org.ldrtestbed.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;

class BarsReferralRouteTest {

    /** The message's time on the clock of the write that started it, never the wall's. */
    private static final java.time.Instant SENT = java.time.Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void theReferralTravelsAsABarsRequestMessageFocusedOnTheServiceRequestWithTheNhsNumber() {
        Bundle message = BarsReferralRoute.message(referral(), "9990000077", SENT);

        MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();
        assertThat(message.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
        assertThat(message.getTimestamp().toInstant()).isEqualTo(SENT);
        assertThat(header.getEventCoding().getSystem()).isEqualTo(BarsReferralRoute.BARS_EVENTS);
        assertThat(header.getEventCoding().getCode()).isEqualTo("servicerequest-request");
        assertThat(header.getFocusFirstRep().getReference())
                .isEqualTo(message.getEntry().get(1).getFullUrl());
        ServiceRequest sent = (ServiceRequest) message.getEntry().get(1).getResource();
        assertThat(sent.getSubject().getIdentifier().getValue()).isEqualTo("9990000077");
    }

    @Test
    void theReceiverGetsItOnceInItsWorklist() {
        Bundle filing = BarsReferralRoute.worklistEntry(referral());

        Task task = (Task) filing.getEntryFirstRep().getResource();
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/SYNAM");
        assertThat(task.getFocus().getReference()).isEqualTo("ServiceRequest/42");
        assertThat(task.getPriority()).isEqualTo(Task.TaskPriority.URGENT);
        assertThat(task.getDescription()).contains("face-to-face").contains("retains CO2");
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + BarsReferralRoute.REFERRAL_SYSTEM + "|42");
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
