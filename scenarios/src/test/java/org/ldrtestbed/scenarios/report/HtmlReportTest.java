package org.ldrtestbed.scenarios.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.report.JourneyReportView.CapabilityRow;
import org.ldrtestbed.scenarios.report.JourneyResult.UnmetNeed;

class HtmlReportTest {

    private static final CareSystemNames NAMES = CareSystemNames.load();
    private static final CapabilityNames CAPABILITIES = CapabilityNames.load();
    private static final FlowCatalogue CATALOGUE = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private static final HtmlReport HTML = new HtmlReport(NAMES, CAPABILITIES, CATALOGUE);

    private static JourneyReportView view(JourneyResult result) {
        return JourneyReportView.of(result, NAMES, CAPABILITIES, CATALOGUE);
    }

    @Test
    void summaryNamesEachCapabilityInWordsAndSaysWhatWasNotCoveredAndWhy() {
        String summary = view(SampleResults.dot()).summary();

        assertThat(summary)
                .contains("it failed, 3 of 4 assertions holding")
                .contains("a — GP medications and allergies available everywhere (1 of 1 hold)")
                .contains("record-sharing — record sharing beyond a-j (111 to ambulance, ambulance handover, event"
                        + " notifications) (0 of 1 hold: FAIL)")
                .contains("governance — who may see what")
                .contains("Not covered: ")
                .contains("d — GPs refer to hospital electronically (e-Referral Service): no one in Dot's story"
                        + " refers her to a clinic")
                .contains("Not covered, and the journey does not say why: b — key GP information")
                .contains("; g — unscheduled care sees child protection information, and social care are told;")
                .contains("Of 4 flow messages, 2 met their time rule, 1 were late (each explained below) and 1 were"
                        + " not delivered.");
        assertThat(HTML.journey(SampleResults.dot())).contains("no one in Dot&#39;s story refers her to a clinic");
    }

    @Test
    void contextIsListedButCountedForNoCapability() {
        JourneyReportView view = view(SampleResults.dot());

        CapabilityRow a = view.capabilities().stream()
                .filter(r -> r.code().equals("a"))
                .findFirst()
                .orElseThrow();
        assertThat(a.total()).isEqualTo(1);
        assertThat(view.capabilities())
                .flatExtracting(CapabilityRow::evidence)
                .extracting(JourneyReportView.AssertionLink::id)
                .doesNotContain("paramedic-sees-own-observations");
        assertThat(view.capabilities()).extracting(CapabilityRow::code).doesNotContain(JourneyResult.CONTEXT);
        assertThat(view.context())
                .extracting(JourneyReportView.AssertionLink::id)
                .containsExactly("paramedic-sees-own-observations");
        assertThat(view.summary()).contains("1 thing seen is context, shown but counted for no capability");
        assertThat(HTML.journey(SampleResults.dot()))
                .containsPattern("data-capability=\"context\">[\\s\\S]*?not counted[\\s\\S]*?"
                        + "href=\"#paramedic-sees-own-observations\"");
    }

    @Test
    void eachLateIsExplainedFromTheRecord() {
        List<LateExplanation> late = view(SampleResults.dot()).lateExplanations();

        assertThat(late).hasSize(1);
        assertThat(late.getFirst().text())
                .startsWith("Ambulance crew's first-contact observations handed over")
                .contains("sent when “The paramedic assesses Dot” (South Central Ambulance Service NHS Foundation"
                        + " Trust (synthetic))")
                .contains("(capability record-sharing), sent when")
                .contains("the rule is delivery within 15 minutes of observation taken (Observation.effectiveDateTime)")
                .contains("the record gives that moment as Mon 12 Jan 2026, 08:50 GMT")
                .contains("it was delivered Mon 12 Jan 2026, 09:40 GMT, 50m 00s after it: 35m 00s late");
        assertThat(HTML.journey(SampleResults.dot())).contains("35m 00s late");
    }

    @Test
    void organisationsAreNamedFromTheDirectoryNotByTheirCodes() {
        JourneyReportView view = view(SampleResults.dot());

        assertThat(view.timeline().lanes())
                .extracting(SwimlaneTimeline.Lane::name)
                .containsExactly(
                        "Shared care record",
                        "Vale of White Horse Practice (synthetic)",
                        "NHS 111 Thames Valley (synthetic)",
                        "South Central Ambulance Service NHS Foundation Trust (synthetic)",
                        "Oxfordshire Acute Hospitals NHS Trust (synthetic)",
                        "The patient and family");
        assertThat(view.steps().get(2).who())
                .isEqualTo("Chris Hale (synthetic), paramedic, South Central Ambulance Service NHS Foundation Trust"
                        + " (synthetic)");
        assertThat(view.steps().get(2).assertions().getFirst().detail())
                .isEqualTo("found 1 of 1 matching where written by Vale of White Horse Practice (synthetic),"
                        + " expected exactly 1");
        // What a reader sees (the query as sent, folded away, aside) names no organisation by its code.
        String visible = HTML.journey(SampleResults.dot())
                .replaceAll("(?s)<details>.*?</details>", "")
                .replaceAll("(?s)<[^>]*>", " ");
        assertThat(visible).doesNotContain("SYNAM", "SYNG09", "SYNAC", "SYNLA", "SYN111");
    }

    @Test
    void whatAStepWroteIsCountedByKindNotListedById() {
        assertThat(JourneyReportView.written("wrote Encounter/1112, Observation/1113, Observation/1114"))
                .isEqualTo("wrote 1 Encounter, 2 Observations");
        assertThat(view(SampleResults.dot())
                        .steps()
                        .getFirst()
                        .actions()
                        .getFirst()
                        .detail())
                .isEqualTo("wrote 1 AllergyIntolerance");
    }

    @Test
    void flowsAreArrowsToTheReceivingOrganisationColouredByTheirTimeliness() {
        SwimlaneTimeline timeline = view(SampleResults.dot()).timeline();

        assertThat(timeline.arrows())
                .extracting(a -> a.flow() + " " + a.verdict() + ": " + a.from() + " -> " + a.to())
                .containsExactly(
                        "gp-summary MET: Vale of White Horse Practice (synthetic) -> Shared care record",
                        "bars-referral MET: NHS 111 Thames Valley (synthetic) -> South Central Ambulance Service NHS"
                                + " Foundation Trust (synthetic)",
                        "ambulance-handover LATE: South Central Ambulance Service NHS Foundation Trust (synthetic) ->"
                                + " Oxfordshire Acute Hospitals NHS Trust (synthetic)",
                        "discharge-summary NOT_DELIVERED: Oxfordshire Acute Hospitals NHS Trust (synthetic) -> Vale of"
                                + " White Horse Practice (synthetic)");
        // The clock runs left to right through the steps, the prior record first.
        assertThat(timeline.points())
                .extracting(SwimlaneTimeline.Point::x)
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(timeline.journeyStartX())
                .isBetween(
                        timeline.points().get(0).x(), timeline.points().get(1).x());
    }

    @Test
    void queriesReadInWordsAndNothingIsLeftUrlEncoded() {
        ReadableQuery query = ReadableQuery.of(
                "AllergyIntolerance?patient=Patient%2F1063&code=http%3A%2F%2Fsnomed.info%2Fsct%7C294505008"
                        + "&date=ge2025-01-01",
                NAMES);

        assertThat(query.resourceType()).isEqualTo("AllergyIntolerance");
        assertThat(query.parameters())
                .containsExactly("patient: the patient", "code: SNOMED CT 294505008", "date: on or after 1 Jan 2025");
        assertThat(ReadableQuery.of("EpisodeOfCare?patient=Patient%2F1&organization=Organization%2FSYNLA", NAMES)
                        .parameters())
                .contains("organization: Oxfordshire County Council Adult Social Care (synthetic)");
        assertThat(ReadableQuery.decode("Encounter?date=ge2026-01-12T08:00:00+00:00"))
                .as("a plus in a search is a plus")
                .isEqualTo("Encounter?date=ge2026-01-12T08:00:00+00:00");
        assertThat(HTML.journey(SampleResults.dot())).doesNotContain("%2F", "%7C", "%3A");
    }

    @Test
    void timesAreLocalUkTimeWithGmtOrBstSaid() {
        JourneyReportView view = view(SampleResults.dot());

        assertThat(view.steps().get(1).when()).isEqualTo("Mon 12 Jan 2026, 08:10 GMT");
        assertThat(view.steps().get(4).when()).isEqualTo("Mon 1 Jun 2026, 09:00 BST");
        assertThat(LocalTimes.full(Instant.parse("2026-06-01T08:00:00Z"))).endsWith("09:00 BST");
    }

    @Test
    void unmetNeedsAreTabledAndAFullDeploymentSaysNone() {
        assertThat(HTML.journey(SampleResults.dot())).contains("none: every flow live (full deployment)");

        JourneyResult onProfile = SampleResults.dot(
                "oxfordshire-2017-07",
                List.of(new UnmetNeed(
                        "discharge-nurse-discharges-dot",
                        "gp-sees-discharge-summary",
                        "the discharge summary from the mental-health ward",
                        "e",
                        "discharge-summary",
                        "SYNCM",
                        null,
                        "absent",
                        null,
                        "all providers except mental health")));
        JourneyReportView view = view(onProfile);
        assertThat(view.unmetNeeds()).hasSize(1);
        assertThat(view.unmetNeeds().getFirst())
                .isEqualTo(new JourneyReportView.UnmetNeedRow(
                        "The discharge nurse sends Dot home",
                        "the discharge summary from the mental-health ward",
                        "e — GPs receive timely electronic discharge summaries",
                        "Electronic discharge summary, hospital (acute, community or mental-health ward) to GP practice",
                        "Oxfordshire Community and Mental Health NHS Trust (synthetic)",
                        "",
                        "absent",
                        "",
                        "all providers except mental health"));
        assertThat(view.summary())
                .contains("On this deployment 1 need went unmet, for want of e — GPs receive timely electronic"
                        + " discharge summaries.");
        assertThat(HTML.journey(onProfile))
                .doesNotContain("none: every flow live")
                .contains("all providers except mental health");
    }

    @Test
    void theMatrixPutsJourneysSideBySideAndSaysWhyOneDoesNotCoverACapability() {
        JourneyResult other = SampleResults.dot().withNotCovered(java.util.Map.of());
        JourneyResult onProfile = SampleResults.dot(
                "oxfordshire-2017-07",
                List.of(new UnmetNeed(
                        "discharge-nurse-discharges-dot",
                        "gp-sees-care-package",
                        "the council's answer to the discharge notice",
                        "f",
                        "social-care-notice",
                        null,
                        null,
                        "planned",
                        "2018-03",
                        null)));
        CapabilityMatrix matrix = CapabilityMatrix.of(
                List.of(
                        new CapabilityMatrix.Run(onProfile, "dot/report.html"),
                        new CapabilityMatrix.Run(other, "other/report.html")),
                CAPABILITIES,
                NAMES,
                CATALOGUE,
                SampleResults.START);

        CapabilityMatrix.Row d = matrix.capabilities().stream()
                .filter(r -> r.code().equals("d"))
                .findFirst()
                .orElseThrow();
        assertThat(d.journeys())
                .extracting(CapabilityMatrix.Cell::notCovered)
                .containsExactly("no one in Dot's story refers her to a clinic", null);
        CapabilityMatrix.Row a = matrix.capabilities().getFirst();
        assertThat(a.journeys())
                .extracting(c -> c.verdict() + " " + c.passed() + "/" + c.total())
                .containsExactly("PASS 1/1", "PASS 1/1");
        assertThat(matrix.passed()).isFalse();
        assertThat(HTML.matrix(matrix))
                .contains("href=\"dot/report.html\"")
                .contains("not covered*")
                .contains("the council&#39;s answer to the discharge notice")
                .contains("f — social care receive timely assessment, discharge and withdrawal notices")
                .contains("every sender")
                .contains("2018-03");
        assertThat(HTML.matrix(CapabilityMatrix.of(
                        List.of(new CapabilityMatrix.Run(other, "other/report.html")),
                        CAPABILITIES,
                        NAMES,
                        CATALOGUE,
                        SampleResults.START)))
                .contains("none: every need of every journey was met");
    }

    @Test
    void eachAssertionSaysWhichCareRelationshipLetTheActorSeeIt() {
        List<JourneyReportView.AssertionView> assertions = view(SampleResults.dot()).steps().stream()
                .flatMap(s -> s.assertions().stream())
                .toList();

        JourneyReportView.AssertionView allergy = assertions.stream()
                .filter(a -> a.id().equals("paramedic-sees-allergy"))
                .findFirst()
                .orElseThrow();
        assertThat(allergy.careRelationship())
                .isEqualTo(NAMES.place("SYNAM") + ": recorded, by Encounter.serviceProvider in Encounter/1071");
        assertThat(assertions.stream().filter(a -> !a.id().equals("paramedic-sees-allergy")))
                .allSatisfy(a -> assertThat(a.careRelationship()).isEmpty());
        assertThat(HTML.journey(SampleResults.dot()))
                .contains(">Care relationship</th>")
                .contains("(synthetic): recorded, by Encounter.serviceProvider in Encounter/1071");
    }
}
