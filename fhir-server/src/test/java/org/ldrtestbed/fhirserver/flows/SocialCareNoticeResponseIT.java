package org.ldrtestbed.fhirserver.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Capability f answered: the hospital's notice reaches the council's worklist; the social worker's answer (accept,
 * or reject with a reason) sets that worklist entry and reaches the hospital's own worklist; an answer that does not
 * say why it rejects is refused before it is stored.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class SocialCareNoticeResponseIT {

    private static final String SNOMED = "http://snomed.info/sct";

    @LocalServerPort
    int port;

    @Test
    void anAcceptedAssessmentNoticeIsMarkedAcceptedAtTheCouncilAndTheHospitalIsTold() {
        Patient patient = patient();
        String notice = notice(patient, "975701000000106", "Assessment Notice");
        awaitWorklist(patient, "975701000000106", "requested");

        answer(patient, notice, "975711000000108", Task.TaskStatus.ACCEPTED, a -> {});

        awaitWorklist(patient, "975701000000106", "accepted");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(tasks("dischargenurse.quinn", patient, "SYNAC", "975711000000108"))
                        .singleElement()
                        .satisfies(t -> {
                            assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.ACCEPTED);
                            assertThat(t.getFocus().getReference()).isEqualTo(notice);
                            assertThat(t.getRequester().getReference()).isEqualTo("Organization/SYNLA");
                        }));
    }

    @Test
    void aRejectedDischargeNoticeCarriesTheCouncilsReasonToBothWorklists() {
        Patient patient = patient();
        String notice = notice(patient, "975731000000100", "Discharge Notice");
        awaitWorklist(patient, "975731000000100", "requested");

        answer(
                patient,
                notice,
                "975831000000106",
                Task.TaskStatus.REJECTED,
                a -> a.setStatusReason(new CodeableConcept().setText("Care package cannot start before Monday")));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(tasks("socialworker.bright", patient, "SYNLA", "975731000000100"))
                        .singleElement()
                        .satisfies(t -> {
                            assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
                            assertThat(t.getStatusReason().getText())
                                    .isEqualTo("Care package cannot start before Monday");
                        }));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(tasks("dischargenurse.quinn", patient, "SYNAC", "975831000000106"))
                        .singleElement()
                        .satisfies(t -> {
                            assertThat(t.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
                            assertThat(t.getDescription()).contains("Care package cannot start before Monday");
                        }));
    }

    @Test
    void aRejectionWithoutAReasonIsRefusedBeforeItIsStored() {
        Patient patient = patient();
        String notice = notice(patient, "975701000000106", "Assessment Notice");

        assertThatThrownBy(() -> answer(patient, notice, "975721000000102", Task.TaskStatus.REJECTED, a -> {}))
                .isInstanceOfSatisfying(
                        UnprocessableEntityException.class,
                        e -> assertThat(e.getMessage())
                                .contains("social-care-notice-response")
                                .contains("statusReason"));
        assertThat(tasks("socialworker.bright", patient, "SYNLA", "975721000000102"))
                .isEmpty();
    }

    private Patient patient() {
        String nhs = testbed().registerPatient();
        return (Patient) testbed()
                .search("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                .getEntryFirstRep()
                .getResource();
    }

    private String notice(Patient patient, String code, String display) {
        ServiceRequest notice = new ServiceRequest();
        notice.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        notice.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        notice.setCode(new CodeableConcept(new Coding(SNOMED, code, display)));
        notice.setSubject(subject(patient));
        notice.setAuthoredOn(new Date());
        notice.addPerformer(new Reference("Organization/SYNLA"));
        return testbed()
                .as("dischargenurse.quinn")
                .create()
                .resource(notice)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    private void answer(Patient patient, String notice, String code, Task.TaskStatus status, Consumer<Task> change) {
        Task answer = new Task();
        answer.setStatus(status);
        answer.setIntent(Task.TaskIntent.ORDER);
        answer.setCode(new CodeableConcept(new Coding(SNOMED, code, null)));
        answer.setFocus(new Reference(notice));
        answer.setFor(subject(patient));
        answer.setAuthoredOn(new Date());
        answer.setOwner(new Reference("Organization/SYNLA"));
        answer.getRestriction().addRecipient(new Reference("Organization/SYNAC"));
        change.accept(answer);
        testbed().as("socialworker.bright").create().resource(answer).execute();
    }

    private void awaitWorklist(Patient patient, String code, String status) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(tasks("socialworker.bright", patient, "SYNLA", code))
                        .extracting(t -> t.getStatus().toCode())
                        .containsExactly(status));
    }

    private List<Task> tasks(String who, Patient patient, String owner, String code) {
        return testbed()
                .as(who)
                .search()
                .byUrl("Task?patient=" + patient.getIdElement().getIdPart() + "&owner=Organization/" + owner + "&code="
                        + SNOMED + "%7C" + code)
                .returnBundle(Bundle.class)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                .execute()
                .getEntry()
                .stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Task.class::isInstance)
                .map(Task.class::cast)
                .toList();
    }

    private static Reference subject(Patient patient) {
        return new Reference("Patient/" + patient.getIdElement().getIdPart())
                .setIdentifier(new Identifier()
                        .setSystem(NhsNumber.SYSTEM)
                        .setValue(patient.getIdentifierFirstRep().getValue()));
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
