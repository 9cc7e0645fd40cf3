package org.ldrtestbed.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.MessageAcknowledgement;

/** The BaRS message as a system under test receives it: recipient by ODS code, patient by NHS number. */
class BarsReferralMessageTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final AtomicInteger reads = new AtomicInteger();

    @Test
    void theWireMessageNamesThePatientByTheRecordsNhsNumberAndTheReceiverByOdsCode() {
        BarsReferralMessage message = message();

        assertThat(message.recipient()).isEqualTo("SYNAM");
        assertThat(message.nhsNumber()).isEqualTo("9990000077");
        String wire = message.wire();

        assertThat(wire).contains("\"type\":\"message\"").contains("9990000077");
        assertThat(MessageAcknowledgement.requestHeaderId(FHIR, wire)).contains(message.headerId());
        assertThat(message.referral().getSubject().getReference()).isEqualTo("Patient/7");
    }

    @Test
    void theRecordIsReadOnlyWhenAskedAndOnce() {
        BarsReferralMessage message = message();
        assertThat(reads).hasValue(0);

        message.wire();
        message.nhsNumber();
        message.recipient();
        message.recipient();

        assertThat(reads).hasValue(2);
    }

    private BarsReferralMessage message() {
        ServiceRequest referral = new ServiceRequest();
        referral.setId("ServiceRequest/42");
        referral.setSubject(new Reference("Patient/7"));
        referral.addPerformer(new Reference("Organization/org-3"));
        referral.getCode().setText("Ambulance response");
        return new BarsReferralMessage(
                new BarsReferralTranslator().toMessage(referral, Instant.parse("2026-01-12T10:30:00Z")),
                FHIR,
                patient -> {
                    reads.incrementAndGet();
                    return patient.getReference().equals("Patient/7") ? "9990000077" : null;
                },
                service -> {
                    reads.incrementAndGet();
                    return service.getReference().equals("Organization/org-3") ? "SYNAM" : null;
                });
    }
}
