package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.conformance.SystemsFile.Endpoint;
import org.ldrtestbed.scenarios.conformance.SystemsFile.FlowBinding;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.engine.SupplierMode.Expected;
import org.ldrtestbed.scenarios.engine.SupplierMode.PullTurn;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceGpSystem;

/**
 * The session's side of a pull from the reference GP system: the prompt goes to its listeners, the checks into the
 * session's, and a pull that did not come right blocks every later assertion of a flow those entries would have fed
 * (the summary, the patient's own view, an EPS prescription of a pulled request), and only those.
 */
class SupplierSessionPullTest {

    private static final String NHS = "9990000190";

    private ReferenceGpSystem gp;

    @AfterEach
    void close() {
        if (gp != null) {
            gp.close();
        }
    }

    @Test
    void aPullThatFailedBlocksWhatItsEntriesWouldHaveFed() throws Exception {
        List<Prompt> prompted = new ArrayList<>();
        SupplierSession session = session(Fault.SERVER_ERROR, prompted);

        var action = session.awaitPulled(turn(session, allergy(), prescription()));

        assertThat(action.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(prompted).singleElement().satisfies(p -> assertThat(p.text()).contains(NHS, "Amoxicillin"));
        assertThat(session.checks())
                .extracting(ConformanceCheck::check, ConformanceCheck::verdict)
                .contains(
                        org.assertj.core.groups.Tuple.tuple("transport", ConformanceCheck.FAIL),
                        org.assertj.core.groups.Tuple.tuple("content", ConformanceCheck.BLOCKED));
        assertThat(session.judged(failed(sees("gp-summary"))).verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(session.judged(failed(sees("patient-online-access"))).verdict())
                .isEqualTo(Verdict.BLOCKED);
        // The patient's view of what the engine wrote (an encounter) did not need the pull.
        assertThat(session.judged(failed(sees("patient-online-access", "Encounter?patient=Patient/7")))
                        .verdict())
                .isEqualTo(Verdict.FAIL);
        assertThat(session.judged(failed(sees("eps-prescription"))).verdict()).isEqualTo(Verdict.BLOCKED);
        // The GP's problems travel by other flows, from entries the engine wrote: not blocked.
        assertThat(session.judged(failed(sees("gp-record-sharing"))).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aPullOfAllergiesAloneDoesNotBlockPrescribing() throws Exception {
        SupplierSession session = session(Fault.SERVER_ERROR, new ArrayList<>());

        session.awaitPulled(turn(session, allergy()));

        assertThat(session.judged(failed(sees("gp-summary"))).verdict()).isEqualTo(Verdict.BLOCKED);
        assertThat(session.judged(failed(sees("eps-prescription"))).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void aPullThatCameRightBlocksNothing() throws Exception {
        List<Prompt> prompted = new ArrayList<>();
        SupplierSession session = session(Fault.NONE, prompted);
        List<org.hl7.fhir.r4.model.Bundle> filed = new ArrayList<>();

        var action = session.awaitPulled(turn(session, filed, allergy()));

        assertThat(action.verdict()).as(action.detail()).isEqualTo(Verdict.PASS);
        assertThat(filed).hasSize(1);
        assertThat(session.checks()).allSatisfy(c -> assertThat(c.verdict()).isEqualTo(ConformanceCheck.PASS));
        assertThat(session.judged(failed(sees("gp-summary"))).verdict()).isEqualTo(Verdict.FAIL);
    }

    private SupplierSession session(Fault fault, List<Prompt> prompted) {
        gp = new ReferenceGpSystem(0, fault).start();
        SystemBinding system = new SystemBinding(
                "reference-gp",
                null,
                "SYNG09",
                List.of(),
                List.of(new FlowBinding("gp-summary", "gpc-structured-record")),
                new Endpoint(gp.baseUrl(), null, null),
                null);
        return new SupplierSession(
                List.of(system),
                FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                new FhirValidation(FhirContext.forR4Cached()),
                Duration.ofSeconds(3),
                List.of(p -> {
                    prompted.add(p);
                    gp.record(p);
                }),
                Clock.systemUTC());
    }

    private static PullTurn turn(SupplierSession session, Expected... expected) {
        return turn(session, new ArrayList<>(), expected);
    }

    private static PullTurn turn(
            SupplierSession session, List<org.hl7.fhir.r4.model.Bundle> filed, Expected... expected) {
        Step.Write write = new Step.Write("GP records", List.of());
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
        return new PullTurn(
                "run-s",
                "fixture",
                NHS,
                "Patient/7",
                step,
                write,
                List.of(expected),
                Instant.now(),
                session.pulledFrom("SYNG09").getFirst(),
                null,
                (transaction, labels) -> {
                    filed.add(transaction);
                    return labels.stream().map(l -> "AllergyIntolerance/8").toList();
                });
    }

    /** An assertion of a flow, reading what the pull was to bring. */
    /** A later assertion as checked against the record: failed (the session may say it was blocked instead). */
    private static org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult failed(Step.Sees sees) {
        return new org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult(
                "later",
                sees.id(),
                sees.title(),
                sees.capabilities(),
                sees.flows(),
                sees.query(),
                Verdict.FAIL,
                "none seen",
                1,
                List.of());
    }

    private static Step.Sees sees(String flow) {
        return sees(flow, "AllergyIntolerance?patient=Patient/7");
    }

    private static Step.Sees sees(String flow, String query) {
        return new Step.Sees(0, "sees-" + flow, "sees " + flow, Set.of("a"), Set.of(flow), query, null, null, null);
    }

    private static Expected allergy() {
        AllergyIntolerance allergy = new AllergyIntolerance()
                .setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "372687004", "Amoxicillin")))
                .setPatient(new Reference("Patient/7"));
        allergy.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active", null)));
        return new Expected("allergy", "urn:uuid:33333333-3333-3333-3333-333333333333", allergy);
    }

    private static Expected prescription() {
        return new Expected(
                "order",
                "urn:uuid:44444444-4444-4444-4444-444444444444",
                new MedicationRequest()
                        .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                        .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                        .setMedication(new CodeableConcept(
                                new Coding("http://snomed.info/sct", "41946511000001109", "Clarithromycin 500mg")))
                        .setSubject(new Reference("Patient/7")));
    }
}
