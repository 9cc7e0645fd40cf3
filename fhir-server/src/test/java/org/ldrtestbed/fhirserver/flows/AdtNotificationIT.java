package org.ldrtestbed.fhirserver.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.adt.AdtTranslator;
import org.ldrtestbed.routes.contract.MllpClient;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.ContextConfiguration;

/**
 * The hospital PAS sends ADT over MLLP: the stay's Encounter follows admission and discharge (the EPR's own, when it
 * wrote one), the GP practice is told each time, a duplicate changes nothing, and a message that cannot be filed is
 * rejected with its reason.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class AdtNotificationIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @LocalServerPort
    int port;

    @Value("${testbed.routes.mllp-port}")
    int mllpPort;

    @Test
    void admissionAndDischargeMoveOneStayOnAndTellTheGpEachTime() throws Exception {
        String nhs = testbed().registerPatient();
        String visit = "V" + UUID.randomUUID().toString().substring(0, 8);

        assertThat(MllpClient.acknowledgementCode(send(message("adt-a01.hl7", nhs, visit, "A01-" + visit))))
                .isEqualTo("AA");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications(nhs).getEntry().size() == 1);
        assertThat(stay(visit).getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);

        assertThat(MllpClient.acknowledgementCode(send(message("adt-a03.hl7", nhs, visit, "A03-" + visit))))
                .isEqualTo("AA");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications(nhs).getEntry().size() == 2);
        Encounter stay = stay(visit);
        assertThat(stay.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(stay.getPeriod().hasEnd()).isTrue();
        // Filed by the acute trust's integration engine, so attributed to the acute trust.
        assertThat(stay.getMeta().getSource()).startsWith(RecordAttribution.SOURCE_BASE + "SYNAC/");
        assertThat(notifications(nhs).getEntry())
                .extracting(e -> ((Communication) e.getResource())
                        .getPayloadFirstRep()
                        .getContentStringType()
                        .getValue())
                .anySatisfy(text -> assertThat(text).startsWith("Admitted to ward SYNAC01-RESP under Erik Lindqvist"))
                .anySatisfy(text -> assertThat(text).startsWith("Discharged from ward SYNAC01-RESP"));
    }

    /**
     * The trust's EPR wrote the admission first, with the PAS's visit number: the PAS's events move that Encounter on
     * (no second stay) and what only the EPR knew stays.
     */
    @Test
    void eventsForAStayTheEprWroteMoveItOnAndKeepWhatItWrote() throws Exception {
        String nhs = testbed().registerPatient();
        String visit = "V" + UUID.randomUUID().toString().substring(0, 8);
        String patient = "Patient/"
                + testbed()
                        .search("Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhs)
                        .getEntryFirstRep()
                        .getResource()
                        .getIdElement()
                        .getIdPart();
        Encounter admission = new Encounter();
        admission.addIdentifier().setSystem(AdtTranslator.VISIT_SYSTEM).setValue("SYNAC-" + visit);
        admission.setStatus(Encounter.EncounterStatus.INPROGRESS);
        admission.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient"));
        admission.setSubject(new Reference(patient));
        admission.addReasonCode().setText("Exacerbation of COPD (synthetic)");
        admission.addParticipant().setIndividual(new Reference("Practitioner/sds-900000000105"));
        admission
                .addLocation()
                .setLocation(new Reference("Location/SYNAC01-RESP"))
                .setStatus(Encounter.EncounterLocationStatus.ACTIVE);
        admission.getHospitalization().setAdmitSource(new CodeableConcept().setText("From A&E"));
        admission.setServiceProvider(new Reference("Organization/SYNAC"));
        testbed().create("edconsultant.marsh", admission);

        send(message("adt-a01.hl7", nhs, visit, "A01-" + visit));
        send(message("adt-a03.hl7", nhs, visit, "A03-" + visit));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications(nhs).getEntry().size() == 2);

        Encounter stay = stay(visit);
        assertThat(stay.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(stay.getReasonCodeFirstRep().getText()).isEqualTo("Exacerbation of COPD (synthetic)");
        assertThat(stay.getHospitalization().getAdmitSource().getText()).isEqualTo("From A&E");
        assertThat(stay.getParticipant())
                .extracting(p -> p.getIndividual().getReference())
                .containsExactly("Practitioner/sds-900000000105", "Practitioner/sds-900000000106");
        assertThat(stay.getLocation()).singleElement().satisfies(l -> {
            assertThat(l.getLocation().getReference()).isEqualTo("Location/SYNAC01-RESP");
            assertThat(l.getStatus()).isEqualTo(Encounter.EncounterLocationStatus.COMPLETED);
        });
        assertThat(stay.getPeriod().hasEnd()).isTrue();
    }

    @Test
    void aDuplicateAdmissionAfterDischargeChangesNothing() throws Exception {
        String nhs = testbed().registerPatient();
        String visit = "V" + UUID.randomUUID().toString().substring(0, 8);
        String a01 = message("adt-a01.hl7", nhs, visit, "A01-" + visit);
        send(a01);
        send(message("adt-a03.hl7", nhs, visit, "A03-" + visit));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications(nhs).getEntry().size() == 2);
        String version = stay(visit).getMeta().getVersionId();

        assertThat(MllpClient.acknowledgementCode(send(a01))).isEqualTo("AA");

        // Later messages of the same patient are processed after it (one message group per patient).
        String other = "V" + UUID.randomUUID().toString().substring(0, 8);
        send(message("adt-a01.hl7", nhs, other, "A01-" + other));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> notifications(nhs).getEntry().size() == 3);
        assertThat(stay(visit).getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(stay(visit).getMeta().getVersionId()).isEqualTo(version);
    }

    @Test
    void aMessageThatCannotBeFiledIsRejectedWithItsReasonAndNothingIsFiled() throws Exception {
        String nhs = testbed().registerPatient();
        String visit = "V" + UUID.randomUUID().toString().substring(0, 8);
        String noPractice = message("adt-a01.hl7", nhs, visit, "A01-" + visit).replaceAll("PD1\\|[^\r]*\r", "");

        String ack = send(noPractice);

        assertThat(MllpClient.acknowledgementCode(ack)).isEqualTo("AR");
        assertThat(MllpClient.acknowledgementText(ack)).contains("PD1-3-3");
        assertThat(notifications(nhs).getEntry()).isEmpty();
        assertThat(testbed()
                        .search("Encounter?identifier=https://fhir.ldr-testbed.example/Id/visit-number%7CSYNAC-"
                                + visit)
                        .getEntry())
                .isEmpty();
    }

    private String send(String er7) throws Exception {
        return new MllpClient(URI.create("mllp://localhost:" + mllpPort)).send(er7);
    }

    private static String message(String fixture, String nhs, String visit, String controlId) throws Exception {
        String text = new ClassPathResource("hl7v2/samples/" + fixture).getContentAsString(StandardCharsets.UTF_8);
        return text.replace("9990000018", nhs)
                .replace("V1001", visit)
                .replace("MSG-A01-1", controlId)
                .replace("MSG-A03-1", controlId);
    }

    private Bundle notifications(String nhs) {
        return testbed()
                .search("Communication?patient.identifier=" + NhsNumber.SYSTEM + "%7C" + nhs
                        + "&recipient=Organization/SYNG09");
    }

    private Encounter stay(String visit) {
        Bundle found = testbed()
                .search("Encounter?identifier=https://fhir.ldr-testbed.example/Id/visit-number%7CSYNAC-" + visit);
        assertThat(found.getEntry()).hasSize(1);
        return (Encounter) found.getEntryFirstRep().getResource();
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
