package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.engine.SupplierMode.Expected;
import org.ldrtestbed.scenarios.engine.SupplierMode.PullTurn;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceGpSystem;

/**
 * The structured-record pull against the reference GP system (HAPI's plain RestfulServer, no testbed server): the GP
 * records what the prompt asks for, the pull finds each of the step's entries and hands them to be filed with their
 * references following them; each fault of the GP fails the check it breaks, and filing is never reached then.
 */
class StructuredRecordPullTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FhirValidation VALIDATION = new FhirValidation(FHIR);
    private static final String NHS = "9990000123";
    private static final String PATIENT = "Patient/501";
    private static final String SNOMED = "http://snomed.info/sct";

    private ReferenceGpSystem gp;

    /** What the pull asked to be filed, per call. */
    private final List<Bundle> filed = new ArrayList<>();

    private final List<List<String>> labels = new ArrayList<>();

    @AfterEach
    void close() {
        if (gp != null) {
            gp.close();
        }
    }

    @Test
    void aCorrectGpSystemAnswersWithEachEntryWhichIsFiledForTheRunsPatientWithItsLabel() throws Exception {
        StructuredRecordPull pull = start(Fault.NONE, Duration.ofSeconds(10), ReferenceGpSystem.DEFAULT_LATE_DELAY);
        PullTurn turn = turn("run-1", authorisationAndStatement(), allergy());
        gp.record(pull.prompt(turn, Instant.now().plusSeconds(10)));

        StructuredRecordPull.Outcome outcome = pull.pull(turn);

        assertThat(outcome.failed()).isNull();
        assertThat(outcome.action().verdict()).as(outcome.action().detail()).isEqualTo(Verdict.PASS);
        assertThat(outcome.findings())
                .extracting(StructuredRecordPull.Finding::check, StructuredRecordPull.Finding::verdict)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("transport", ConformanceCheck.PASS),
                        org.assertj.core.groups.Tuple.tuple("timeliness", ConformanceCheck.PASS),
                        org.assertj.core.groups.Tuple.tuple("content", ConformanceCheck.PASS),
                        org.assertj.core.groups.Tuple.tuple("filed", ConformanceCheck.PASS));
        assertThat(labels).singleElement().isEqualTo(List.of("auth-salbutamol", "ms-salbutamol", "allergy"));
        Bundle transaction = filed.getFirst();
        assertThat(transaction.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        MedicationRequest authorisation =
                (MedicationRequest) transaction.getEntry().get(0).getResource();
        MedicationStatement statement =
                (MedicationStatement) transaction.getEntry().get(1).getResource();
        AllergyIntolerance allergy =
                (AllergyIntolerance) transaction.getEntry().get(2).getResource();
        // The GP system's patient is the run's patient in the shared record; its ids are not carried over.
        assertThat(statement.getSubject().getReference()).isEqualTo(PATIENT);
        assertThat(allergy.getPatient().getReference()).isEqualTo(PATIENT);
        assertThat(statement.getIdElement().isEmpty()).isTrue();
        // The statement's authorisation, filed in the same transaction, is referred to there.
        assertThat(statement.getDerivedFromFirstRep().getReference())
                .isEqualTo(transaction.getEntry().get(0).getFullUrl())
                .startsWith("urn:uuid:");
        assertThat(authorisation.getIntent()).isEqualTo(MedicationRequest.MedicationRequestIntent.PLAN);
    }

    @Test
    void whatAnEarlierPullFiledIsNotFiledAgain() throws Exception {
        StructuredRecordPull pull = start(Fault.NONE, Duration.ofSeconds(10), ReferenceGpSystem.DEFAULT_LATE_DELAY);
        PullTurn first = turn("run-2", authorisationAndStatement());
        gp.record(pull.prompt(first, Instant.now().plusSeconds(10)));
        assertThat(pull.pull(first).failed()).isNull();

        PullTurn second = turn("run-2", List.of(allergy()));
        gp.record(pull.prompt(second, Instant.now().plusSeconds(10)));
        StructuredRecordPull.Outcome outcome = pull.pull(second);

        assertThat(outcome.failed()).isNull();
        // The second answer holds the medicines again: only the allergy, the step's own entry, is filed.
        assertThat(filed.getLast().getEntry())
                .singleElement()
                .satisfies(e -> assertThat(e.getResource()).isInstanceOf(AllergyIntolerance.class));
    }

    @Test
    void anEntryTheGpSystemDoesNotHoldFailsTheContentNamingItsLabelAndNothingIsFiled() throws Exception {
        StructuredRecordPull pull = start(Fault.NONE, Duration.ofSeconds(3), ReferenceGpSystem.DEFAULT_LATE_DELAY);
        PullTurn recorded = turn("run-3", List.of(allergy()));
        gp.record(pull.prompt(recorded, Instant.now().plusSeconds(10)));
        // The step also expects a medicine the practice never recorded.
        PullTurn turn = turn("run-3", authorisationAndStatement(), allergy());

        StructuredRecordPull.Outcome outcome = pull.pull(turn);

        assertThat(finding(outcome, "content").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(finding(outcome, "content").reason()).contains("label auth-salbutamol", "label ms-salbutamol");
        assertThat(finding(outcome, "filed").verdict()).isEqualTo(ConformanceCheck.BLOCKED);
        assertThat(outcome.failed()).contains("label ms-salbutamol");
        assertThat(filed).isEmpty();
    }

    @Test
    void aWrongPatientFailsTheContent() throws Exception {
        StructuredRecordPull.Outcome outcome = faulty(Fault.WRONG_PATIENT, Duration.ofSeconds(10));

        assertThat(finding(outcome, "transport").verdict()).isEqualTo(ConformanceCheck.PASS);
        assertThat(finding(outcome, "content").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(finding(outcome, "content").reason()).contains("wrong patient", Fault.WRONG_NHS_NUMBER);
        assertThat(filed).isEmpty();
    }

    @Test
    void anInvalidAnswerFailsTheContentWithTheValidatorsFindings() throws Exception {
        StructuredRecordPull.Outcome outcome = faulty(Fault.INVALID, Duration.ofSeconds(10));

        assertThat(finding(outcome, "content").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(finding(outcome, "content").reason()).contains("not valid FHIR R4");
        assertThat(finding(outcome, "content").issues())
                .anySatisfy(i -> assertThat(i.isError()).isTrue());
        assertThat(outcome.action().verdict()).isEqualTo(Verdict.FAIL);
        assertThat(filed).isEmpty();
    }

    @Test
    void aGpSystemThatIsDownFailsTheTransportAfterRetryingWithinThePatience() throws Exception {
        StructuredRecordPull.Outcome outcome = faulty(Fault.SERVER_ERROR, Duration.ofSeconds(3));

        assertThat(finding(outcome, "transport").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(finding(outcome, "transport").reason())
                .contains("answered 503")
                .doesNotContain("(1 attempt");
        assertThat(finding(outcome, "content").verdict()).isEqualTo(ConformanceCheck.BLOCKED);
        assertThat(outcome.failed()).contains("503");
        assertThat(filed).isEmpty();
    }

    @Test
    void aSilentGpSystemFailsTheTransportAtThePatience() throws Exception {
        StructuredRecordPull.Outcome outcome = faulty(Fault.SILENCE, Duration.ofSeconds(2));

        assertThat(finding(outcome, "transport").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(finding(outcome, "transport").reason()).contains("no answer", "PT2S");
        assertThat(filed).isEmpty();
    }

    @Test
    void aLateAnswerIsFiledButFailsTheTimeliness() throws Exception {
        StructuredRecordPull pull = start(Fault.LATE, Duration.ofSeconds(15), Duration.ofSeconds(6));
        PullTurn turn = turn("run-late", List.of(allergy()));
        gp.record(pull.prompt(turn, Instant.now().plusSeconds(10)));

        StructuredRecordPull.Outcome outcome = pull.pull(turn);

        assertThat(finding(outcome, "timeliness").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(finding(outcome, "timeliness").reason()).contains("later than PT5S");
        assertThat(finding(outcome, "content").verdict()).isEqualTo(ConformanceCheck.PASS);
        assertThat(filed).hasSize(1);
    }

    @Test
    void thePromptAsksForEachEntryForThePatientAndCarriesThemForASystemThatActsOnIt() {
        StructuredRecordPull pull = new StructuredRecordPull(
                VALIDATION, HttpClient.newHttpClient(), Duration.ofSeconds(5), Clock.systemUTC());
        PullTurn turn = turn("run-p", "http://gp.example/fhir", authorisationAndStatement(), allergy());

        Prompt prompt = pull.prompt(turn, Instant.now());

        assertThat(prompt.text())
                .contains(
                        NHS,
                        "Amoxicillin",
                        "Salbutamol",
                        "POST http://gp.example/fhir/Patient/$gpc.getstructuredrecord");
        Bundle example = FHIR.newJsonParser().parseResource(Bundle.class, prompt.example());
        String patientUrl = example.getEntryFirstRep().getFullUrl();
        assertThat(((Patient) example.getEntryFirstRep().getResource())
                        .getIdentifierFirstRep()
                        .getValue())
                .isEqualTo(NHS);
        assertThat(example.getEntry().stream().skip(1).map(Bundle.BundleEntryComponent::getResource))
                .hasSize(3)
                .allSatisfy(r -> assertThat(FHIR.newTerser().getAllResourceReferences(r).stream()
                                .map(ref -> ref.getResourceReference()
                                        .getReferenceElement()
                                        .getValue()))
                        .contains(patientUrl));
    }

    // --- set-up

    private StructuredRecordPull.Outcome faulty(Fault fault, Duration patience) throws InterruptedException {
        StructuredRecordPull pull = start(fault, patience, ReferenceGpSystem.DEFAULT_LATE_DELAY);
        PullTurn turn = turn("run-" + fault.cliName(), authorisationAndStatement(), allergy());
        gp.record(pull.prompt(turn, Instant.now().plusSeconds(10)));
        return pull.pull(turn);
    }

    private StructuredRecordPull start(Fault fault, Duration patience, Duration lateDelay) {
        gp = new ReferenceGpSystem(0, fault, lateDelay).start();
        return new StructuredRecordPull(VALIDATION, HttpClient.newHttpClient(), patience, Clock.systemUTC());
    }

    private static StructuredRecordPull.Finding finding(StructuredRecordPull.Outcome outcome, String check) {
        return outcome.findings().stream()
                .filter(f -> f.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + outcome.findings()));
    }

    private PullTurn turn(String run, List<Expected> first, Expected... more) {
        return turn(run, gp == null ? "http://unused.example/fhir" : gp.baseUrl(), first, more);
    }

    private PullTurn turn(String run, String base, List<Expected> first, Expected... more) {
        List<Expected> expected = new ArrayList<>(first);
        expected.addAll(List.of(more));
        Step.Write write = new Step.Write("GP records medicines and allergy", List.of());
        Step step = new Step(
                0,
                "gp-records",
                "GP records",
                null,
                false,
                Duration.ZERO,
                new Step.Actor("gp", "SYNG09", null),
                Set.of(),
                List.of(write),
                List.of(),
                null);
        SystemUnderTest system = new SystemUnderTest(
                "reference-gp",
                "gp-summary",
                "SYNG09",
                SystemUnderTest.Direction.SENDS,
                SystemUnderTest.GPC_STRUCTURED_RECORD,
                base,
                null);
        return new PullTurn(
                run,
                "fixture",
                NHS,
                PATIENT,
                step,
                write,
                expected,
                Instant.parse("2026-03-02T09:00:00Z"),
                system,
                null,
                (transaction, names) -> {
                    filed.add(transaction);
                    labels.add(names);
                    List<String> references = new ArrayList<>();
                    for (int i = 0; i < names.size(); i++) {
                        references.add(
                                transaction.getEntry().get(i).getResource().fhirType() + "/" + (900 + i));
                    }
                    return references;
                });
    }

    private static List<Expected> authorisationAndStatement() {
        String authUrl = "urn:uuid:11111111-1111-1111-1111-111111111111";
        MedicationRequest authorisation = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.PLAN)
                .setMedication(salbutamol())
                .setSubject(new Reference(PATIENT));
        MedicationStatement statement = new MedicationStatement()
                .setStatus(MedicationStatement.MedicationStatementStatus.ACTIVE)
                .setMedication(salbutamol())
                .setSubject(new Reference(PATIENT))
                .addDerivedFrom(new Reference(authUrl));
        return List.of(
                new Expected("auth-salbutamol", authUrl, authorisation),
                new Expected("ms-salbutamol", "urn:uuid:22222222-2222-2222-2222-222222222222", statement));
    }

    private static Expected allergy() {
        AllergyIntolerance allergy = new AllergyIntolerance()
                .setCode(new CodeableConcept(new Coding(SNOMED, "372687004", "Amoxicillin")))
                .setPatient(new Reference(PATIENT));
        allergy.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null)));
        return new Expected("allergy", "urn:uuid:33333333-3333-3333-3333-333333333333", (Resource) allergy);
    }

    private static CodeableConcept salbutamol() {
        return new CodeableConcept(
                new Coding(SNOMED, "39113611000001102", "Salbutamol 100micrograms/dose inhaler CFC free"));
    }
}
