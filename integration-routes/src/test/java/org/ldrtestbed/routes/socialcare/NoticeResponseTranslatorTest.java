package org.ldrtestbed.routes.socialcare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class NoticeResponseTranslatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final NoticeResponseTranslator translator = new NoticeResponseTranslator();

    @Test
    void theAnswerTravelsWithTheNoticeItAnswersAndTheHospitalItIsFor() {
        NoticeResponseTranslator.AdwResponse response = translator.toResponse(answer(a -> {}));

        assertThat(response.code().getCode()).isEqualTo("975711000000108");
        assertThat(response.response().accepts()).isTrue();
        assertThat(response.status()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(response.notice()).isEqualTo("77");
        assertThat(response.hospital().getReference()).isEqualTo("Organization/SYNAC");
        assertThat(response.answer().getFor().getIdentifier().getSystem())
                .isEqualTo("https://fhir.nhs.uk/Id/nhs-number");
    }

    @Test
    void anAcceptanceSetsTheCouncilsWorklistAndTellsTheHospital() {
        Bundle filing = file(answer(a -> {}));

        Bundle.BundleEntryComponent worklist = filing.getEntry().get(0);
        assertThat(worklist.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PATCH);
        assertThat(worklist.getRequest().getUrl())
                .isEqualTo("Task?identifier=" + SocialCareNoticeTranslator.TASK_ID_SYSTEM + "|77");
        assertThat(new String(((Binary) worklist.getResource()).getContent(), StandardCharsets.UTF_8))
                .isEqualTo("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"accepted\"}]");

        Task told = (Task) filing.getEntry().get(1).getResource();
        assertThat(told.getOwner().getReference()).isEqualTo("Organization/SYNAC");
        assertThat(told.getRequester().getReference()).isEqualTo("Organization/SYNLA");
        assertThat(told.getFocus().getReference()).isEqualTo("ServiceRequest/77");
        assertThat(told.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
        assertThat(told.getCode().getCodingFirstRep().getCode()).isEqualTo("975711000000108");
        assertThat(told.getDescription()).startsWith("Assessment Notice Accept Response from adult social care");
        assertThat(filing.getEntry().get(1).getRequest().getIfNoneExist())
                .isEqualTo("identifier=" + NoticeResponseTranslator.RESPONSE_ID_SYSTEM + "|90");
    }

    @Test
    void aRejectionCarriesItsReasonToBothWorklists() {
        Bundle filing = file(answer(a -> {
            a.getCode().getCodingFirstRep().setCode("975721000000102");
            a.setStatus(Task.TaskStatus.REJECTED);
            a.getStatusReason().setText("Not ordinarily resident in \"Oxfordshire\"");
        }));

        assertThat(new String(((Binary) filing.getEntry().get(0).getResource()).getContent(), StandardCharsets.UTF_8))
                .contains("\"value\":\"rejected\"")
                .contains("{\"op\":\"add\",\"path\":\"/statusReason\",\"value\":{\"text\":\"Not ordinarily resident"
                        + " in \\\"Oxfordshire\\\"\"}}");
        Task told = (Task) filing.getEntry().get(1).getResource();
        assertThat(told.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(told.getStatusReason().getText()).startsWith("Not ordinarily resident");
        assertThat(told.getDescription()).contains("Reject").contains("Not ordinarily resident");
    }

    @Test
    void aRejectionWithoutAReasonIsRefused() {
        assertThatThrownBy(() -> translator.toResponse(answer(a -> {
                    a.getCode().getCodingFirstRep().setCode("975831000000106");
                    a.setStatus(Task.TaskStatus.REJECTED);
                })))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("statusReason");
    }

    @Test
    void theStatusMustSayWhatTheResponseCodeSays() {
        assertThatThrownBy(() -> translator.toResponse(answer(a -> a.setStatus(Task.TaskStatus.REJECTED))))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("must have Task.status accepted");
    }

    @Test
    void anAnswerMustNameTheNoticeThePatientAndTheHospital() {
        assertThatThrownBy(() -> translator.toResponse(answer(a -> a.setFocus(new Reference("Patient/5")))))
                .hasMessageContaining("Task.focus");
        assertThatThrownBy(() -> translator.toResponse(answer(a -> a.getFor().setIdentifier(null))))
                .hasMessageContaining("NHS number");
        assertThatThrownBy(() -> translator.toResponse(answer(a -> a.setRestriction(null))))
                .hasMessageContaining("restriction.recipient");
        assertThatThrownBy(() -> translator.toResponse(
                        answer(a -> a.getCode().getCodingFirstRep().setCode("975701000000106"))))
                .hasMessageContaining("75691000000106");
    }

    @Test
    void anAnswerReadFromTheRecordIsCarried() {
        // As the dispatcher sees it: the stored resource, encoded and parsed again.
        Task stored = FHIR.newJsonParser()
                .parseResource(Task.class, FHIR.newJsonParser().encodeResourceToString(answer(a -> {})));

        assertThat(file(stored).getEntry()).hasSize(2);
    }

    /** The answer as the translator passes it, filed at both ends. */
    private Bundle file(Task answer) {
        return NoticeResponseDelivery.filings(translator.toResponse(answer));
    }

    private static Task answer(Consumer<Task> change) {
        Task answer = new Task();
        answer.setId("Task/90");
        answer.setStatus(Task.TaskStatus.ACCEPTED);
        answer.setIntent(Task.TaskIntent.ORDER);
        answer.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("975711000000108");
        answer.setFocus(new Reference("ServiceRequest/77"));
        answer.setFor(new Reference("Patient/5")
                .setIdentifier(new Identifier()
                        .setSystem("https://fhir.nhs.uk/Id/nhs-number")
                        .setValue("9990000018")));
        answer.setOwner(new Reference("Organization/SYNLA"));
        answer.getRestriction().addRecipient(new Reference("Organization/SYNAC"));
        answer.setAuthoredOn(new Date());
        change.accept(answer);
        return answer;
    }
}
