package org.ldrtestbed.routes.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.RunSwitches.Rule;

/** A run's switches apply to that run's messages only, beside the server-wide switchboard. */
class FlowSwitchesTest {

    private static final String SUMMARY = "discharge-summary";

    private final FlowCatalogue catalogue = FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION);
    private final FlowSwitchboard switchboard = new FlowSwitchboard(catalogue, Set.of());
    private final FlowSwitches switches = new FlowSwitches(switchboard, catalogue, Clock.systemUTC());

    @Test
    void aFlowDisabledForOneRunIsStillCarriedForAnotherAndForRequestsOfNoRun() {
        switches.register("run-a", new RunSwitches(Set.of(SUMMARY), List.of(), Set.of()));
        switches.register("run-b", new RunSwitches(Set.of(), List.of(), Set.of()));

        assertThat(switches.carry(SUMMARY, "run-a", "SYNAC", List.of()).carried())
                .isFalse();
        assertThat(switches.carry(SUMMARY, "run-b", "SYNAC", List.of()).carried())
                .isTrue();
        assertThat(switches.carry(SUMMARY, null, "SYNAC", List.of()).carried()).isTrue();
        assertThat(switches.carry(SUMMARY, "unregistered", "SYNAC", List.of()).carried())
                .isTrue();
        assertThat(switches.withheld("run-a")).singleElement().satisfies(w -> {
            assertThat(w.flow()).isEqualTo(SUMMARY);
            assertThat(w.organisation()).isEqualTo("SYNAC");
            assertThat(w.reason()).contains("switched off for run run-a");
        });
        assertThat(switches.withheld("run-b")).isEmpty();
    }

    @Test
    void aMessageIdNamesTheLongestRegisteredRunItStartsWithFollowedByADash() {
        switches.register("run-1", new RunSwitches(Set.of(), List.of(), Set.of()));
        switches.register("run-1-b", new RunSwitches(Set.of(), List.of(), Set.of()));

        assertThat(switches.runOfMessageId("run-1-admit")).contains("run-1");
        assertThat(switches.runOfMessageId("run-1-b-admit")).contains("run-1-b");
        assertThat(switches.runOfMessageId("run-1")).contains("run-1");
        assertThat(switches.runOfMessageId("run-12-admit")).isEmpty();
        assertThat(switches.runOfMessageId("MSG-A01-1")).isEmpty();
        assertThat(switches.runOfMessageId(null)).isEmpty();
        switches.remove("run-1");
        assertThat(switches.runOfMessageId("run-1-admit")).isEmpty();
    }

    @Test
    void theServerWideSwitchboardHoldsForEveryRun() {
        switches.register("run-a", new RunSwitches(Set.of(), List.of(), Set.of()));
        switchboard.disable(SUMMARY);

        assertThat(switches.carry(SUMMARY, "run-a", "SYNAC", List.of()).reason())
                .contains("switched off on this server");
        assertThat(switches.carry(SUMMARY, null, "SYNAC", List.of()).carried()).isFalse();
    }

    @Test
    void theMostSpecificRuleOfAProfileDecides() {
        switches.register(
                "run-a",
                new RunSwitches(
                        Set.of(),
                        List.of(
                                new Rule(SUMMARY, null, Set.of(), true),
                                new Rule(SUMMARY, "SYNCM", Set.of("SYNCM03", "SYNCM03-CEDAR"), false),
                                new Rule("social-care-notice", null, Set.of(), false),
                                new Rule("social-care-notice", "SYNAC", Set.of(), true)),
                        Set.of()));

        assertThat(switches.decide(SUMMARY, "run-a", "SYNAC", List.of()).carried())
                .isTrue();
        assertThat(switches.decide(SUMMARY, "run-a", "SYNCM", List.of("SYNCM01-WARD"))
                        .carried())
                .isTrue();
        assertThat(switches.decide(SUMMARY, "run-a", "SYNCM", List.of("SYNCM03-CEDAR")))
                .satisfies(d -> {
                    assertThat(d.carried()).isFalse();
                    assertThat(d.reason()).contains("not live for SYNCM SYNCM03-CEDAR");
                });
        assertThat(switches.decide("social-care-notice", "run-a", "SYNAC", List.of())
                        .carried())
                .isTrue();
        assertThat(switches.decide("social-care-notice", "run-a", "SYNXX", List.of())
                        .carried())
                .isFalse();
        // decide() only asks; carry() is what remembers.
        assertThat(switches.withheld("run-a")).isEmpty();
    }

    @Test
    void hl7v2MessagesFindTheirRunByPatient() {
        switches.register("run-a", new RunSwitches(Set.of(), List.of(), Set.of("9990000018")));

        assertThat(switches.runOfPatient("9990000018")).contains("run-a");
        assertThat(switches.runOfPatient("9990000026")).isEmpty();
        assertThat(switches.remove("run-a")).isTrue();
        assertThat(switches.runOfPatient("9990000018")).isEmpty();
        assertThat(switches.remove("run-a")).isFalse();
    }

    @Test
    void aRunNamingAFlowTheCatalogueLacksIsRefused() {
        assertThatThrownBy(() -> switches.register("run-a", new RunSwitches(Set.of("no-such-flow"), null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-flow");
        assertThatThrownBy(() -> switches.register(
                        "run-a", new RunSwitches(null, List.of(new Rule("nor-this", null, null, false)), null)))
                .hasMessageContaining("nor-this");
    }

    @Test
    void theDispatcherSendsAMentalHealthWardsSummaryOnlyInTheRunWhoseProfileHasItLive() {
        List<String> sent = new ArrayList<>();
        FlowDispatcher dispatcher = new FlowDispatcher(
                catalogue,
                switches,
                FhirContext.forR4Cached(),
                (flow, body, headers) -> sent.add((String) headers.get("LdrJourneyId")),
                java.util.Map.of(),
                java.time.Clock.systemUTC());
        switches.register(
                "profile-2017",
                new RunSwitches(
                        Set.of(),
                        List.of(new Rule(SUMMARY, "SYNCM", Set.of("SYNCM03", "SYNCM03-CEDAR"), false)),
                        Set.of()));
        switches.register("full", new RunSwitches(Set.of(), List.of(), Set.of()));

        assertThat(dispatcher.dispatch(summaryFrom("SYNCM", "community", "SYNCM03-CEDAR", "profile-2017")))
                .isEmpty();
        assertThat(dispatcher.dispatch(summaryFrom("SYNCM", "community", "SYNCM03-CEDAR", "full")))
                .containsExactly(SUMMARY);
        assertThat(dispatcher.dispatch(summaryFrom("SYNCM", "community", "SYNCM01-WARD", "profile-2017")))
                .containsExactly(SUMMARY);
        assertThat(sent).containsExactly("full", "profile-2017");
        assertThat(switches.withheld("profile-2017"))
                .singleElement()
                .satisfies(w -> assertThat(w.services()).containsExactly("SYNCM03-CEDAR"));
    }

    /** A discharge summary whose Encounter names the ward it was sent from, as the catalogue's source-service reads. */
    private static FlowDispatcher.CommittedResource summaryFrom(
            String organisation, String setting, String ward, String run) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        Composition composition = new Composition();
        composition.setType(new CodeableConcept(new Coding("http://snomed.info/sct", "373942005", null)));
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9990000018");
        Encounter encounter = new Encounter();
        encounter
                .addLocation()
                .setLocation(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem("https://fhir.ldr-testbed.example/Id/unit-code")
                                .setValue(ward)));
        bundle.addEntry().setResource(composition);
        bundle.addEntry().setResource(patient);
        bundle.addEntry().setResource(encounter);
        return new FlowDispatcher.CommittedResource(bundle, organisation, setting, run, null);
    }

    @Test
    void anEndedRunIsRememberedOnlyWhereItBoundAReceivingSystem() {
        org.ldrtestbed.routes.contract.SystemUnderTest gp = new org.ldrtestbed.routes.contract.SystemUnderTest(
                "gp-system",
                "discharge-summary",
                "SYNG09",
                org.ldrtestbed.routes.contract.SystemUnderTest.Direction.RECEIVES,
                "fhir-rest",
                "http://gp/fhir",
                null);
        switches.register("run-sut", new RunSwitches(Set.of(), List.of(), Set.of(), List.of(gp)));
        switches.register("run-plain", new RunSwitches(Set.of(), List.of(), Set.of()));

        assertThat(switches.ended("run-sut")).as("still live").isEmpty();
        switches.remove("run-sut");
        switches.remove("run-plain");

        assertThat(switches.ended("run-sut"))
                .hasValueSatisfying(s -> assertThat(s.systemsUnderTest()).containsExactly(gp));
        assertThat(switches.ended("run-plain")).isEmpty();
        switches.register("run-sut", new RunSwitches(Set.of(), List.of(), Set.of()));
        assertThat(switches.ended("run-sut")).as("registered again").isEmpty();
    }
}
