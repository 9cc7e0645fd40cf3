package org.ldrtestbed.fhirserver.prescribing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The allergy alert on prescribing, against the running server: a registrar's amoxicillin order is answered with the
 * conflict with the GP's penicillin-class allergy, kept as a DetectedIssue, when the GP summary (a) has shared the
 * allergy with her; with the allergy still held, or withheld by the patient's dissent, there is no alert, and nothing
 * in the answer or the record tells of the allergy.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class AllergyAlertIT {

    private static final String SNOMED = "http://snomed.info/sct";
    private static final String REGISTRAR = "registrar.lindqvist";

    @LocalServerPort
    int port;

    @Autowired
    FlowSwitchboard switchboard;

    @Test
    void prescribingAmoxicillinAgainstAVisibleAmoxicillinAllergyIsAnsweredWithTheConflict() {
        String patient = admittedPatientWithAllergy();
        await().atMost(Duration.ofSeconds(30)).until(() -> registrarSeesAllergy(patient));

        Bundle.BundleEntryResponseComponent answer =
                prescribe(patient, "39732411000001106", "Amoxicillin 500mg capsules");

        assertThat(answer.getStatus()).startsWith("201");
        assertThat(warnings(answer)).singleElement().satisfies(issue -> {
            assertThat(issue.getCode()).isEqualTo(OperationOutcome.IssueType.BUSINESSRULE);
            assertThat(issue.getDiagnostics())
                    .contains("Amoxicillin 500mg capsules")
                    .contains("penicillins");
        });
        List<DetectedIssue> issues = detectedIssues(patient);
        assertThat(issues).singleElement().satisfies(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(DetectedIssue.DetectedIssueSeverity.HIGH);
            assertThat(issue.getCode().getCodingFirstRep().getCode()).isEqualTo("ALGY");
            assertThat(issue.getImplicated())
                    .extracting(Reference::getReference)
                    .anySatisfy(r -> assertThat(r).startsWith("MedicationRequest/"))
                    .anySatisfy(r -> assertThat(r).startsWith("AllergyIntolerance/"));
            assertThat(issue.getAuthor().getDisplay()).isEqualTo(AllergyConflicts.AUTHOR);
        });
    }

    @Test
    void aMedicineOfAnotherClassRaisesNoAlert() {
        String patient = admittedPatientWithAllergy();
        await().atMost(Duration.ofSeconds(30)).until(() -> registrarSeesAllergy(patient));

        Bundle.BundleEntryResponseComponent answer =
                prescribe(patient, "41946511000001109", "Clarithromycin 500mg tablets");

        assertThat(warnings(answer)).isEmpty();
        assertThat(detectedIssues(patient)).isEmpty();
    }

    @Test
    void anAllergyTheGpHasNotSharedRaisesNoAlertAndTellsNothing() {
        switchboard.disable("gp-summary");
        try {
            String patient = admittedPatientWithAllergy();
            // The GP's own staff see it at once; the registrar does not, the GP summary being off.
            assertThat(allergies("gp.ashdown", patient)).hasSize(1);
            assertThat(registrarSeesAllergy(patient)).isFalse();

            Bundle.BundleEntryResponseComponent answer =
                    prescribe(patient, "39732411000001106", "Amoxicillin 500mg capsules");

            assertThat(answer.getStatus()).startsWith("201");
            assertThat(warnings(answer)).isEmpty();
            assertThat(detectedIssuesAsGp(patient)).isEmpty();
        } finally {
            switchboard.enable("gp-summary");
        }
    }

    @Test
    void anAllergyWithheldByThePatientsDissentRaisesNoAlert() {
        String patient = admittedPatientWithAllergy();
        await().atMost(Duration.ofSeconds(30)).until(() -> registrarSeesAllergy(patient));
        Consent dissent = new Consent();
        dissent.setStatus(Consent.ConsentState.ACTIVE);
        dissent.getScope()
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null));
        dissent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", null)));
        dissent.setPatient(new Reference("Patient/" + patient));
        dissent.getProvision().setType(Consent.ConsentProvisionType.DENY);
        dissent.getProvision()
                .addActor()
                .setRole(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference("Organization/SYNAC"));
        dissent.getProvision().addClass_(new Coding("http://hl7.org/fhir/resource-types", "AllergyIntolerance", null));
        testbed().as("gp.ashdown").create().resource(dissent).execute();
        await().atMost(Duration.ofSeconds(30)).until(() -> !registrarSeesAllergy(patient));

        Bundle.BundleEntryResponseComponent answer =
                prescribe(patient, "39732411000001106", "Amoxicillin 500mg capsules");

        assertThat(warnings(answer)).isEmpty();
        assertThat(detectedIssuesAsGp(patient)).isEmpty();
    }

    private String admittedPatientWithAllergy() {
        String nhs = NhsNumber.syntheticFrom(java.util.UUID.randomUUID().getMostSignificantBits());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
        patient.addName().setFamily("Allergy-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        String id = testbed()
                .as("gp.ashdown")
                .create()
                .resource(patient)
                .execute()
                .getId()
                .getIdPart();
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.getClinicalStatus()
                .addCoding(new Coding(
                        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null));
        allergy.setCode(new CodeableConcept(new Coding(SNOMED, "372687004", "Amoxicillin")));
        allergy.setPatient(new Reference("Patient/" + id));
        allergy.addReaction().addManifestation(new CodeableConcept(new Coding(SNOMED, "247472004", "Urticarial rash")));
        testbed().as("gp.ashdown").create().resource(allergy).execute();
        Encounter admission = new Encounter();
        admission.setStatus(Encounter.EncounterStatus.INPROGRESS);
        admission.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", null));
        admission.setSubject(new Reference("Patient/" + id));
        admission.setServiceProvider(new Reference("Organization/SYNAC"));
        testbed().as(REGISTRAR).create().resource(admission).execute();
        return id;
    }

    /** The registrar's order, written as journeys write (a transaction); the answer's entry for it. */
    private Bundle.BundleEntryResponseComponent prescribe(String patient, String code, String display) {
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setMedication(new CodeableConcept(new Coding(SNOMED, code, display)));
        order.setSubject(new Reference("Patient/" + patient));
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction
                .addEntry()
                .setResource(order)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl("MedicationRequest");
        Bundle response =
                testbed().as(REGISTRAR).transaction().withBundle(transaction).execute();
        return response.getEntryFirstRep().getResponse();
    }

    /** The allergy warnings in the server's answer for the order (HAPI adds notes of its own). */
    private static List<OperationOutcome.OperationOutcomeIssueComponent> warnings(
            Bundle.BundleEntryResponseComponent answer) {
        return answer.getOutcome() instanceof OperationOutcome outcome
                ? outcome.getIssue().stream()
                        .filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.WARNING)
                        .filter(i -> i.getDetails().getCoding().stream().anyMatch(c -> "ALGY".equals(c.getCode())))
                        .toList()
                : List.of();
    }

    private boolean registrarSeesAllergy(String patient) {
        return !allergies(REGISTRAR, patient).isEmpty();
    }

    private List<?> allergies(String who, String patient) {
        return resources(who, "AllergyIntolerance?patient=" + patient, AllergyIntolerance.class);
    }

    private List<DetectedIssue> detectedIssues(String patient) {
        return resources(REGISTRAR, "DetectedIssue?patient=" + patient, DetectedIssue.class);
    }

    /** As the GP, who sees the whole record: nothing was stored that the registrar cannot see either. */
    private List<DetectedIssue> detectedIssuesAsGp(String patient) {
        return resources("gp.ashdown", "DetectedIssue?patient=" + patient, DetectedIssue.class);
    }

    private <T> List<T> resources(String who, String query, Class<T> type) {
        return testbed()
                .as(who)
                .search()
                .byUrl(query)
                .returnBundle(Bundle.class)
                .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                .execute()
                .getEntry()
                .stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private TestbedClient testbed() {
        return new TestbedClient(port);
    }
}
