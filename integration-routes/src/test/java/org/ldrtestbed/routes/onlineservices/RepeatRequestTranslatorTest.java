package org.ldrtestbed.routes.onlineservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class RepeatRequestTranslatorTest {

    private final RepeatRequestTranslator translator = new RepeatRequestTranslator();

    @Test
    void aProposalBasedOnOneAuthorisationIsTheRepeatRequest() {
        MedicationRequest request = translator.toRepeatRequest(request(r -> {}));

        assertThat(request.getIntent()).isEqualTo(MedicationRequest.MedicationRequestIntent.PROPOSAL);
        assertThat(request.getSubject().getIdentifier().getValue()).isEqualTo("9990000018");
        assertThat(request.getBasedOnFirstRep().getReference()).isEqualTo("MedicationRequest/3");
    }

    @Test
    void thePracticeGetsAnApprovalTaskOncePerRequest() {
        MedicationRequest authorisation = new MedicationRequest();
        authorisation.setId("MedicationRequest/3");
        authorisation.setMedication(new CodeableConcept(new Coding("http://snomed.info/sct", "1", "Salbutamol")));

        Bundle filing = RepeatRequestDelivery.worklistEntry(
                translator.toRepeatRequest(request(r -> {})), authorisation, "SYNG09");

        Task approval = (Task) filing.getEntryFirstRep().getResource();
        assertThat(approval.getCode().getCodingFirstRep().getCode()).isEqualTo("approve");
        assertThat(approval.getOwner().getReference()).isEqualTo("Organization/SYNG09");
        assertThat(approval.getDescription()).contains("Salbutamol");
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + RepeatRequestDelivery.REQUEST_SYSTEM + "|40");
    }

    @Test
    void aRequestWithoutNhsNumberOrNotBasedOnOneAuthorisationIsRefused() {
        assertThatThrownBy(() ->
                        translator.toRepeatRequest(request(r -> r.getSubject().setIdentifier(null))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() ->
                        translator.toRepeatRequest(request(r -> r.getBasedOn().clear())))
                .hasMessageContaining("exactly one repeat authorisation");
    }

    private static MedicationRequest request(Consumer<MedicationRequest> change) {
        MedicationRequest request = new MedicationRequest();
        request.setId("MedicationRequest/40");
        request.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        request.setIntent(MedicationRequest.MedicationRequestIntent.PROPOSAL);
        request.setSubject(new Reference("Patient/5")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000018")));
        request.addBasedOn(new Reference("MedicationRequest/3"));
        change.accept(request);
        return request;
    }
}
