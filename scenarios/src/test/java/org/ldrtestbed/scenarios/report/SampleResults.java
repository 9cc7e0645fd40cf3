package org.ldrtestbed.scenarios.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.StepResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Timeliness;
import org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * A journey result as the runner makes one, shaped like a short piece of Dot's journey: the GP's prior record, 111,
 * the paramedic (whose handover is late), A&E, a discharge in summer time whose summary is never delivered, and
 * Dot herself.
 */
public final class SampleResults {

    /** What the server named as letting the paramedic see Dot's allergy: the ambulance call's encounter. */
    static final String GRANTED_BY_AMBULANCE_CALL = "patient=Patient/1063; organisation=SYNAM; kind=recorded;"
            + " via=Encounter.serviceProvider; event=Encounter/1071";

    static final Instant START = Instant.parse("2026-01-12T08:00:00Z");
    static final Instant SUMMER = Instant.parse("2026-06-01T08:00:00Z");

    private SampleResults() {}

    public static JourneyResult dot() {
        return dot(JourneyResult.FULL_DEPLOYMENT, List.of());
    }

    static JourneyResult dot(String deployment, List<UnmetNeed> unmet) {
        Instant prior = Instant.parse("2025-11-28T08:00:00Z");
        List<StepResult> steps = List.of(
                new StepResult(
                        "gp-records-allergy",
                        "Dot's GP records her allergy",
                        true,
                        "gp @ SYNG09",
                        "gp.ashdown",
                        prior,
                        List.of(new ActionResult("Allergy to amoxicillin", Verdict.PASS, "wrote AllergyIntolerance/7")),
                        List.of()),
                new StepResult(
                        "call-handler-requests-ambulance",
                        "NHS 111 asks for a paramedic",
                        false,
                        "call-handler @ SYN111",
                        "callhandler.okafor",
                        START.plus(Duration.ofMinutes(10)),
                        List.of(),
                        List.of()),
                new StepResult(
                        "paramedic-assesses",
                        "The paramedic assesses Dot",
                        false,
                        "paramedic @ SYNAM",
                        "paramedic.hale",
                        START.plus(Duration.ofMinutes(100)),
                        List.of(),
                        List.of(
                                new AssertionResult(
                                        "paramedic-assesses",
                                        "paramedic-sees-allergy",
                                        "her allergy to amoxicillin, from the GP record",
                                        Set.of("a"),
                                        Set.of("gp-summary"),
                                        "AllergyIntolerance?patient=Patient%2F1063&code=http%3A%2F%2Fsnomed.info%2Fsct"
                                                + "%7C294505008&date=ge2025-01-01",
                                        Verdict.PASS,
                                        "found 1 of 1 matching where meta.source.startsWith("
                                                + "'https://fhir.ldr-testbed.example/source/SYNG09/'), expected exactly 1",
                                        12,
                                        List.of(GRANTED_BY_AMBULANCE_CALL)),
                                new AssertionResult(
                                        "paramedic-sees-own-observations",
                                        "paramedic-sees-own-observations",
                                        "the crew's own oxygen reading",
                                        Set.of(JourneyResult.CONTEXT),
                                        Set.of(),
                                        "Observation?patient=Patient%2F1063&performer=Organization%2FSYNAM",
                                        Verdict.PASS,
                                        "found 1, expected exactly 1",
                                        5))),
                new StepResult(
                        "ed-consultant-reads-handover",
                        "The A&E consultant reads the crew's findings",
                        false,
                        "ed-consultant @ SYNAC",
                        "edconsultant.marsh",
                        START.plus(Duration.ofMinutes(130)),
                        List.of(),
                        List.of(
                                new AssertionResult(
                                        "ed-sees-handover",
                                        "ed-sees-handover",
                                        "the crew's findings at first contact",
                                        Set.of("record-sharing"),
                                        Set.of("ambulance-handover"),
                                        "Observation?patient=Patient%2F1063&_source=https%3A%2F%2Ffhir.ldr-testbed"
                                                + ".example%2Fsource%2FSYNAM%2Fparamedic.hale",
                                        Verdict.FAIL,
                                        "found 0, expected at least 1",
                                        3000),
                                new AssertionResult(
                                        "ed-refused-council-records",
                                        "ed-refused-council-records",
                                        "not the council's records",
                                        Set.of("governance"),
                                        Set.of(),
                                        "EpisodeOfCare?patient=Patient%2F1063&organization=Organization%2FSYNLA",
                                        Verdict.PASS,
                                        "found 0, expected none, withheld for reason role",
                                        8))),
                new StepResult(
                        "discharge-nurse-discharges-dot",
                        "The discharge nurse sends Dot home",
                        false,
                        "discharge-nurse @ SYNAC",
                        "dischargenurse.quinn",
                        SUMMER,
                        List.of(new ActionResult("Discharge summary", Verdict.PASS, "sent Bundle/40")),
                        List.of()),
                new StepResult(
                        "dot-reads-her-record",
                        "Dot reads her record",
                        false,
                        "patient patient.dot",
                        "patient.dot",
                        SUMMER.plus(Duration.ofHours(4)),
                        List.of(),
                        List.of()));
        List<Timeliness> timeliness = List.of(
                new Timeliness(
                        "gp-records-allergy",
                        "gp-summary",
                        "m1",
                        "entry written at the practice",
                        prior,
                        prior.plusMillis(900),
                        Duration.ofMillis(900),
                        Duration.ofMinutes(15),
                        "MET"),
                new Timeliness(
                        "call-handler-requests-ambulance",
                        "bars-referral",
                        "m2",
                        null,
                        START.plus(Duration.ofMinutes(10)),
                        START.plus(Duration.ofMinutes(10)).plusMillis(400),
                        Duration.ofMillis(400),
                        Duration.ofMinutes(5),
                        "MET"),
                new Timeliness(
                        "paramedic-assesses",
                        "ambulance-handover",
                        "m3",
                        "observation taken (Observation.effectiveDateTime)",
                        START.plus(Duration.ofMinutes(50)),
                        START.plus(Duration.ofMinutes(100)).plusMillis(500),
                        Duration.ofMinutes(50).plusMillis(500),
                        Duration.ofMinutes(15),
                        "LATE"),
                new Timeliness(
                        "discharge-nurse-discharges-dot",
                        "discharge-summary",
                        "m4",
                        "discharge (Encounter.period.end)",
                        SUMMER,
                        null,
                        null,
                        Duration.ofHours(24),
                        "NOT_DELIVERED"));
        return new JourneyResult(
                "dot",
                "Dot - COPD exacerbation (sample)",
                "journeys/copd/dot.journey.yaml",
                "dot-20260112-080000-abcd",
                "http://localhost:8080/fhir",
                Instant.parse("2026-12-03T07:00:00Z"),
                Duration.ofSeconds(42),
                "9990000077",
                Set.of(),
                List.of(),
                steps,
                timeliness,
                deployment,
                unmet,
                Map.of("d", "no one in Dot's story refers her to a clinic"));
    }
}
