package org.ldrtestbed.fhirserver.publication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.access.AccessInterceptor;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Capability b as the roadmap defines it, against the running server: the GP's additional information reaches NHS
 * 111, the ambulance service and the ED only once the GP has flagged the patient as likely to present (until then
 * they are told "not-flagged", whatever their search matched); professionals outside urgent care read the same GP
 * notes through the shared care record (gp-record-sharing); end-of-life preferences never travel by b.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class UrgentCareCohortIT {

    private static final String COHORT = "https://fhir.ldr-testbed.example/CodeSystem/urgent-care-cohort";

    @LocalServerPort
    int port;

    @Test
    void anUnflaggedPatientsGpProblemsReachTheWardButNotUrgentCareUntilTheGpFlagsThem() {
        String patient = patientWithAProblem();
        careEvent(patient, "callhandler.okafor", "SYN111", "VR");
        careEvent(patient, "edconsultant.marsh", "SYNAC", "EMER");

        // Outside urgent care: the shared care record carries the GP notes.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(entries("registrar.lindqvist", patient)).hasSize(1));
        for (String urgentCare : List.of("callhandler.okafor", "edconsultant.marsh")) {
            Bundle result = search(urgentCare, patient);
            assertThat(entriesOf(result)).as(urgentCare).isEmpty();
            assertThat(reasons(result)).as(urgentCare).containsExactly("not-flagged");
        }

        flag(patient, new Coding(COHORT, "likely-to-present", "Likely to present to urgent and emergency care"));

        for (String urgentCare : List.of("callhandler.okafor", "edconsultant.marsh")) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(entries(urgentCare, patient)).hasSize(1));
            assertThat(reasons(search(urgentCare, patient))).as(urgentCare).isEmpty();
        }
    }

    @Test
    void theNoticeIsTheSameWhetherOrNotASearchMatchesAnything() {
        String patient = patientWithAProblem();
        careEvent(patient, "callhandler.okafor", "SYN111", "VR");

        // A code the patient has no entry for: the reader learns nothing of what a withheld entry holds.
        Bundle none = testbed()
                .as("callhandler.okafor")
                .search()
                .byUrl("Condition?patient=" + patient + "&code=http://snomed.info/sct%7C195967001")
                .returnBundle(Bundle.class)
                .execute();
        assertThat(reasons(none)).containsExactly("not-flagged");
    }

    @Test
    void endOfLifePreferencesDoNotTravelAsAdditionalInformation() {
        String patient = patientWithAProblem();
        careEvent(patient, "callhandler.okafor", "SYN111", "VR");
        careEvent(patient, "registrar.lindqvist", "SYNAC", "IMP");
        flag(patient, new Coding(COHORT, "likely-to-present", "Likely to present to urgent and emergency care"));
        flag(patient, new Coding("http://snomed.info/sct", "450476008", "Not for cardiopulmonary resuscitation"));

        // Once the shared care record shows the DNACPR flag (written after the cohort flag, so b has handled it
        // too), NHS 111 still sees only the cohort flag.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(flags("callhandler.okafor", patient))
                        .extracting(f -> f.getCode().getCodingFirstRep().getCode())
                        .contains("likely-to-present"));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(flags("registrar.lindqvist", patient))
                        .extracting(f -> f.getCode().getCodingFirstRep().getCode())
                        .contains("450476008"));
        assertThat(flags("callhandler.okafor", patient))
                .extracting(f -> f.getCode().getCodingFirstRep().getCode())
                .containsExactly("likely-to-present");
    }

    private String patientWithAProblem() {
        String nhs = NhsNumber.syntheticFrom(java.util.UUID.randomUUID().getMostSignificantBits());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
        patient.addName().setFamily("Cohort-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        String id = testbed()
                .as("gp.ashdown")
                .create()
                .resource(patient)
                .execute()
                .getId()
                .getIdPart();
        Condition problem = new Condition();
        problem.setSubject(new Reference("Patient/" + id));
        problem.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "38341003", "Hypertensive disorder")));
        testbed().as("gp.ashdown").create().resource(problem).execute();
        return id;
    }

    private void careEvent(String patient, String who, String organisation, String encounterClass) {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", encounterClass, null));
        encounter.setSubject(new Reference("Patient/" + patient));
        encounter.setServiceProvider(new Reference("Organization/" + organisation));
        testbed().as(who).create().resource(encounter).execute();
    }

    private void flag(String patient, Coding code) {
        Flag flag = new Flag();
        flag.setStatus(Flag.FlagStatus.ACTIVE);
        flag.setCode(new CodeableConcept(code));
        flag.setSubject(new Reference("Patient/" + patient));
        testbed().as("gp.ashdown").create().resource(flag).execute();
    }

    private List<Flag> flags(String who, String patient) {
        return testbed()
                .as(who)
                .search()
                .byUrl("Flag?patient=" + patient)
                .returnBundle(Bundle.class)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                .execute()
                .getEntry()
                .stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Flag.class::isInstance)
                .map(Flag.class::cast)
                .toList();
    }

    private List<?> entries(String who, String patient) {
        return entriesOf(search(who, patient));
    }

    private Bundle search(String who, String patient) {
        return testbed()
                .as(who)
                .search()
                .byUrl("Condition?patient=" + patient)
                .returnBundle(Bundle.class)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                .execute();
    }

    private static List<?> entriesOf(Bundle result) {
        return result.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Condition.class::isInstance)
                .toList();
    }

    private static List<String> reasons(Bundle result) {
        return result.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(OperationOutcome.class::isInstance)
                .flatMap(o -> ((OperationOutcome) o).getIssue().stream())
                .flatMap(i -> i.getDetails().getCoding().stream())
                .filter(c -> AccessInterceptor.DENIAL_REASONS.equals(c.getSystem()))
                .map(Coding::getCode)
                .toList();
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
