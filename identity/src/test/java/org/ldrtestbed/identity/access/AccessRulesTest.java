package org.ldrtestbed.identity.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision.Reason;

class AccessRulesTest {

    private final AccessRules rules = new AccessRules(AccessPolicy.load("classpath:identity/access-policy.yaml"));

    private static ActorIdentity professional(String role, String organisation) {
        return new ActorIdentity(role + ".user", List.of(role), organisation, "900000000199", "R8000", null, null);
    }

    private static AccessFacts facts(
            ActorIdentity reader,
            String purpose,
            String type,
            String resourceClass,
            Set<String> sensitive,
            boolean ownOrganisation,
            boolean relationship,
            boolean dissent) {
        return new AccessFacts(
                reader,
                purpose,
                type,
                resourceClass,
                sensitive,
                ownOrganisation,
                false,
                Set.of(),
                relationship,
                dissent);
    }

    @Test
    void theShippedPolicyLoadsAndSaysItIsASimulation() {
        assertThat(rules.policy().classCodes()).contains("social-care-record", "medications", "end-of-life");
        assertThat(rules.granted(List.of("gp"), AccessPolicy.TREAT))
                .containsAll(rules.policy().classCodes());
    }

    @Test
    void aPharmacistSeesMedicinesButNotSocialCareRecords() {
        ActorIdentity pharmacist = professional("pharmacist", "SYNAC");
        assertThat(rules.decide(facts(
                                pharmacist,
                                "TREAT",
                                "MedicationStatement",
                                "medications",
                                Set.of(),
                                false,
                                true,
                                false))
                        .allowed())
                .isTrue();
        AccessDecision notes = rules.decide(
                facts(pharmacist, "TREAT", "CarePlan", "social-care-record", Set.of(), false, true, false));
        assertThat(notes.allowed()).isFalse();
        assertThat(notes.reason()).isEqualTo(Reason.ROLE);
    }

    @Test
    void sensitiveEntriesStayWithTheirWriterEvenInAnEmergency() {
        ActorIdentity consultant = professional("ed-consultant", "SYNAC");
        AccessDecision decision = rules.decide(
                facts(consultant, "BTG", "Condition", "problems", Set.of("sexual-health"), false, true, false));
        assertThat(decision.reason()).isEqualTo(Reason.SENSITIVE);
        assertThat(rules.decide(facts(
                                consultant,
                                "TREAT",
                                "Condition",
                                "problems",
                                Set.of("sexual-health"),
                                true,
                                true,
                                false))
                        .allowed())
                .isTrue();
    }

    @Test
    void breakGlassOverridesRelationshipAndDissentAndSaysSo() {
        ActorIdentity paramedic = professional("paramedic", "SYNAM");
        AccessFacts noRelationship =
                facts(paramedic, "TREAT", "MedicationStatement", "medications", Set.of(), false, false, true);
        assertThat(rules.decide(noRelationship).reason()).isEqualTo(Reason.NO_RELATIONSHIP);
        AccessDecision emergency = rules.decide(
                facts(paramedic, "BTG", "MedicationStatement", "medications", Set.of(), false, false, true));
        assertThat(emergency.allowed()).isTrue();
        assertThat(emergency.overridden()).containsExactly(Reason.NO_RELATIONSHIP, Reason.DISSENT);
        assertThat(rules.decide(facts(
                                paramedic, "TREAT", "MedicationStatement", "medications", Set.of(), false, true, true))
                        .reason())
                .isEqualTo(Reason.DISSENT);
    }

    @Test
    void demographicsNeedNoRelationship() {
        ActorIdentity callHandler = professional("call-handler", "SYN111");
        assertThat(rules.decide(facts(callHandler, "TREAT", "Patient", "demographics", Set.of(), false, false, false))
                        .allowed())
                .isTrue();
    }

    @Test
    void patientsSeeOnlyTheirOwnRecordAndProxiesOnlyWhatWasGranted() {
        ActorIdentity patient =
                new ActorIdentity("patient.dot", List.of("patient"), null, null, null, "9990000077", null);
        AccessFacts other = new AccessFacts(
                patient, "TREAT", "Condition", "problems", Set.of(), false, false, Set.of(), false, false);
        assertThat(rules.decide(other).reason()).isEqualTo(Reason.OTHER_PATIENT);
        ActorIdentity proxy = new ActorIdentity("proxy.susan", List.of("proxy"), null, null, null, null, "9990000077");
        AccessFacts granted = new AccessFacts(
                proxy, "TREAT", "Appointment", "referrals", Set.of(), false, true, Set.of("Appointment"), false, false);
        assertThat(rules.decide(granted).allowed()).isTrue();
        AccessFacts notGranted = new AccessFacts(
                proxy, "TREAT", "Condition", "problems", Set.of(), false, true, Set.of("Appointment"), false, false);
        assertThat(rules.decide(notGranted).reason()).isEqualTo(Reason.NOT_GRANTED);
    }

    @Test
    void systemClientsAreNotBoundByTheClinicalRules() {
        ActorIdentity system =
                new ActorIdentity("service-account-mesh-mailbox", List.of("system"), "SYNMX", null, null, null, null);
        assertThat(rules.decide(facts(
                                system, "TREAT", "Condition", "problems", Set.of("sexual-health"), false, false, true))
                        .allowed())
                .isTrue();
    }

    @Test
    void aRoleWithoutEmergencyAccessCannotBreakTheGlass() {
        assertThat(rules.policy().mayBreakGlass(List.of("pharmacist"))).isFalse();
        assertThat(rules.policy().mayBreakGlass(List.of("paramedic"))).isTrue();
    }

    @Test
    void aPolicyGrantingAnUnknownClassIsRefused() {
        assertThatThrownBy(() -> new AccessPolicy(
                        "p",
                        1,
                        List.of(new AccessPolicy.ResourceClass("a", "A", List.of("Condition"), null, null)),
                        java.util.Map.of("gp", java.util.Map.of("TREAT", List.of("b"))),
                        List.of(),
                        "patient",
                        "proxy",
                        new AccessPolicy.LegitimateRelationship(List.of(), java.util.Map.of()),
                        null,
                        List.of(),
                        List.of(),
                        null))
                .hasMessageContaining("unknown class b");
    }
}
