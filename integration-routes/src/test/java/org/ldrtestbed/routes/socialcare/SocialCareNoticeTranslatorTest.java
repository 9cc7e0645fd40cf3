package org.ldrtestbed.routes.socialcare;

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

class SocialCareNoticeTranslatorTest {

    private final SocialCareNoticeTranslator translator = new SocialCareNoticeTranslator();

    @Test
    void theNoticeTravelsNamingThePatientByNhsNumberWithItsNoticeCode() {
        SocialCareNoticeTranslator.AdwNotice notice = translator.toNotice(notice(n -> {}));

        assertThat(notice.code().getSystem()).isEqualTo(SocialCareNoticeTranslator.SNOMED);
        assertThat(notice.code().getCode()).isEqualTo("975701000000106");
        assertThat(notice.notice().getSubject().getIdentifier().getValue()).isEqualTo("9990000018");
        assertThat(notice.notice().getIdElement().getIdPart()).isEqualTo("77");
    }

    @Test
    void assessmentNoticeBecomesATaskInTheCouncilsWorklist() {
        Bundle filing = file(notice(n -> {}));

        Task task = (Task) filing.getEntryFirstRep().getResource();
        assertThat(task.getOwner().getReference()).isEqualTo("Organization/SYNLA");
        assertThat(task.getFocus().getReference()).isEqualTo("ServiceRequest/77");
        assertThat(task.getFor().getReference()).isEqualTo("Patient/5");
        assertThat(task.getFor().getIdentifier().getValue()).isEqualTo("9990000018");
        assertThat(task.getCode().getCodingFirstRep().getCode()).isEqualTo("975701000000106");
        assertThat(task.getDescription()).startsWith("Assessment Notice received from hospital: needs help");
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REQUESTED);
        assertThat(filing.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + SocialCareNoticeTranslator.TASK_ID_SYSTEM + "|77");
    }

    @Test
    void aNoticeWithoutAValidNhsNumberIsRefused() {
        assertThatThrownBy(() -> translator.toNotice(notice(n -> n.getSubject().setIdentifier(null))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() -> translator.toNotice(
                        notice(n -> n.getSubject().getIdentifier().setValue("9990000019"))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("NHS number");
    }

    @Test
    void aNoticeMustNameTheCouncilAndBeDated() {
        assertThatThrownBy(
                        () -> translator.toNotice(notice(n -> n.getPerformer().clear())))
                .hasMessageContaining("performer");
        assertThatThrownBy(() -> translator.toNotice(notice(n -> n.setAuthoredOn(null))))
                .hasMessageContaining("dated");
    }

    @Test
    void otherServiceRequestsAreNotNotices() {
        assertThatThrownBy(() -> translator.toNotice(
                        notice(n -> n.getCode().getCodingFirstRep().setCode("108161000000109"))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("75691000000106");
    }

    /** The notice as the translator passes it, filed in the council's worklist. */
    private Bundle file(ServiceRequest notice) {
        return SocialCareNoticeDelivery.worklist(translator.toNotice(notice));
    }

    private static ServiceRequest notice(Consumer<ServiceRequest> change) {
        ServiceRequest notice = new ServiceRequest();
        notice.setId("ServiceRequest/77");
        notice.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        notice.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        notice.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("975701000000106");
        notice.setSubject(new Reference("Patient/5")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000018")));
        notice.addPerformer(new Reference("Organization/SYNLA"));
        notice.setRequester(new Reference("Practitioner/sds-900000000108"));
        notice.setAuthoredOn(new Date());
        notice.addNote().setText("needs help with bathing and shopping");
        change.accept(notice);
        return notice;
    }
}
