package org.ldrtestbed.routes.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class EReferralTranslatorTest {

    private final EReferralTranslator translator = new EReferralTranslator();

    @Test
    void theReferralTravelsAsAnERsServiceRequestWithItsUbrnAndNhsNumber() {
        ServiceRequest sent = translator.toReferral(referral(r -> {}));

        assertThat(sent.getIdentifier()).singleElement().satisfies(ubrn -> {
            assertThat(ubrn.getSystem()).isEqualTo(EReferralTranslator.UBRN_SYSTEM);
            assertThat(ubrn.getValue()).matches("\\d{12}");
        });
        assertThat(sent.getSubject().getIdentifier().getValue()).isEqualTo("9990000085");
        assertThat(sent.getIdElement().getIdPart()).isEqualTo("41");
    }

    @Test
    void aReferralGetsAStableUbrnAndWaitsForTriageAtTheProvider() {
        Bundle filing = triage(referral(r -> {}));

        Task triage = (Task) filing.getEntryFirstRep().getResource();
        String ubrn = triage.getIdentifierFirstRep().getValue();
        assertThat(ubrn).matches("\\d{12}");
        assertThat(triage(referral(r -> {})).getEntryFirstRep().getResource())
                .extracting(t -> ((Task) t).getIdentifierFirstRep().getValue())
                .isEqualTo(ubrn);
        assertThat(triage.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("AWAITING_TRIAGE");
        assertThat(triage.getOwner().getReference()).isEqualTo("Organization/SYNAC");
        assertThat(triage.getFocus().getReference()).isEqualTo("ServiceRequest/41");
        assertThat(triage.getDescription()).contains("ROUTINE").contains("diabetes clinic");
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + EReferralTranslator.UBRN_SYSTEM + "|" + ubrn);
    }

    @Test
    void prioritiesFollowERs() {
        assertThat(EReferralTranslator.priority(
                        referral(r -> r.setPriority(ServiceRequest.ServiceRequestPriority.URGENT))))
                .isEqualTo("URGENT");
        assertThat(EReferralTranslator.priority(
                        referral(r -> r.setPriority(ServiceRequest.ServiceRequestPriority.STAT))))
                .isEqualTo("TWO_WEEK_WAIT");
    }

    @Test
    void aReferralNeedsAnNhsNumberAProviderAndAReferrer() {
        assertThatThrownBy(() -> translator.toReferral(
                        referral(r -> r.getSubject().getIdentifier().setValue("9990000019"))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() ->
                        translator.toReferral(referral(r -> r.getPerformer().clear())))
                .hasMessageContaining("performer");
        assertThatThrownBy(() -> translator.toReferral(referral(r -> r.setRequester(null))))
                .hasMessageContaining("requester");
    }

    /** The referral as e-RS takes it, in the provider's triage worklist. */
    private Bundle triage(ServiceRequest referral) {
        return EReferralDelivery.triage(translator.toReferral(referral));
    }

    private static ServiceRequest referral(Consumer<ServiceRequest> change) {
        ServiceRequest referral = new ServiceRequest();
        referral.setId("ServiceRequest/41");
        referral.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.addCategory()
                .addCoding()
                .setSystem("https://fhir.nhs.uk/CodeSystem/message-category-servicerequest")
                .setCode("referral");
        referral.getCode().setText("Referral to diabetes clinic");
        referral.setSubject(new Reference("Patient/9")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000085")));
        referral.addPerformer(new Reference("Organization/SYNAC"));
        referral.setRequester(new Reference("Practitioner/sds-900000000101"));
        referral.setAuthoredOn(new Date());
        change.accept(referral);
        return referral;
    }
}
