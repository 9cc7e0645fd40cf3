package org.ldrtestbed.fhirserver.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.childprotection.CpIsPlanUploadRoute;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.simulators.NationalServices;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Flows that call a national service (here CP-IS, played by the testbed's WireMock simulators): success with an
 * idempotent receiver, a service that keeps answering 503 (retried, then dead-lettered with the reason), and one
 * that does not know the patient (dead-lettered at once). Sentinel NHS numbers choose the misbehaviour.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class NationalServiceFlowsIT {

    private static final String UNAVAILABLE = "9990000905";
    private static final String UNKNOWN = "9990000921";

    @LocalServerPort
    int port;

    @Autowired
    MessageLog messageLog;

    @Autowired
    NationalServices nationalServices;

    @Autowired
    ProducerTemplate producer;

    @Test
    void childOnAPlanRaisesOneAlertAndOneNotificationEvenWhenTheLookupIsRedelivered() {
        String nhs = testbed().registerPatient();
        String patient = patientId(nhs);
        testbed()
                .as("childprotection.nwosu")
                .create()
                .resource(plan(nhs, patient))
                .execute();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stages(nhs, CpIsPlanUploadRoute.FLOW_CODE).contains(Stage.DELIVERED));

        Encounter attendance = emergency(nhs, patient);
        String encounterId = testbed()
                .as("edconsultant.marsh")
                .create()
                .resource(attendance)
                .execute()
                .getId()
                .getIdPart();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(testbed().count("Flag?patient=" + patient)).isEqualTo(1);
            assertThat(testbed().count("Communication?patient=" + patient + "&recipient=Organization/SYNLC"))
                    .isEqualTo(1);
        });
        assertThat(nationalServices.received("/cp-is/FHIR/R4/AuditEvent"))
                .anySatisfy(r -> assertThat(r.getBodyAsString()).contains(nhs));

        // At-least-once delivery: the same lookup again changes nothing in the record.
        attendance.setId("Encounter/" + encounterId);
        int deliveredBefore = entries(null, "cp-is-access", Stage.DELIVERED).size();
        producer.sendBody(
                "jms:queue:ldr.flow.cp-is-access",
                TestbedClient.FHIR.newJsonParser().encodeResourceToString(attendance));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> entries(null, "cp-is-access", Stage.DELIVERED).size() > deliveredBefore);
        assertThat(testbed().count("Flag?patient=" + patient)).isEqualTo(1);
        assertThat(testbed().count("Communication?patient=" + patient + "&recipient=Organization/SYNLC"))
                .isEqualTo(1);
    }

    @Test
    void aServiceThatKeepsFailingIsRetriedThenDeadLetteredWithTheReason() {
        String patient = patientWithNhsNumber(UNAVAILABLE);

        testbed()
                .as("edconsultant.marsh")
                .create()
                .resource(emergency(UNAVAILABLE, patient))
                .execute();

        await().atMost(Duration.ofSeconds(60))
                .until(() -> stages(UNAVAILABLE, "cp-is-access").contains(Stage.DEAD_LETTERED));
        List<MessageLogEntry> failed = entries(UNAVAILABLE, "cp-is-access", Stage.FAILED);
        assertThat(failed)
                .hasSizeGreaterThan(1)
                .allSatisfy(f -> assertThat(f.detail()).contains("CP-IS answered HTTP 503"));
        assertThat(stages(UNAVAILABLE, "cp-is-access")).doesNotContain(Stage.DELIVERED);
    }

    @Test
    void aPatientTheServiceDoesNotKnowIsDeadLetteredAtOnce() {
        String patient = patientWithNhsNumber(UNKNOWN);

        testbed()
                .as("edconsultant.marsh")
                .create()
                .resource(emergency(UNKNOWN, patient))
                .execute();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> stages(UNKNOWN, "cp-is-access").contains(Stage.DEAD_LETTERED));
        assertThat(entries(UNKNOWN, "cp-is-access", Stage.DEAD_LETTERED))
                .singleElement()
                .satisfies(d -> assertThat(d.detail()).contains("HTTP 404"));
        assertThat(entries(UNKNOWN, "cp-is-access", Stage.FAILED)).hasSizeLessThanOrEqualTo(1);
    }

    private List<Stage> stages(String nhs, String flow) {
        return entries(nhs, flow, null).stream().map(MessageLogEntry::stage).toList();
    }

    private List<MessageLogEntry> entries(String nhs, String flow, Stage stage) {
        return messageLog.search(new MessageQuery(nhs, flow, null, null, stage, 0));
    }

    private String patientWithNhsNumber(String nhs) {
        if (testbed().count("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs) == 0) {
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
            patient.addName().setFamily("Sentinel-Synthetic");
            testbed().as("gp.ashdown").create().resource(patient).execute();
        }
        return patientId(nhs);
    }

    private String patientId(String nhs) {
        return "Patient/"
                + testbed()
                        .search("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                        .getEntryFirstRep()
                        .getResource()
                        .getIdElement()
                        .getIdPart();
    }

    private static Encounter emergency(String nhs, String patient) {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER", "emergency"));
        encounter.setSubject(new Reference(patient)
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
        encounter.setServiceProvider(new Reference("Organization/SYNAC"));
        encounter.getPeriod().setStart(new java.util.Date());
        return encounter;
    }

    private static CarePlan plan(String nhs, String patient) {
        CarePlan plan = new CarePlan();
        plan.setStatus(CarePlan.CarePlanStatus.ACTIVE);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.addCategory(new CodeableConcept(
                new Coding(CpIsPlanUploadRoute.PLAN_TYPES, "CPPI", "Child Protection Plan Information")));
        plan.setSubject(new Reference(patient)
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhs)));
        plan.getPeriod().setStart(new java.util.Date());
        plan.setAuthor(new Reference("Organization/SYNLC").setDisplay("Children's services (synthetic)"));
        return plan;
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
