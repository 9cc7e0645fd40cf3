package org.ldrtestbed.identity.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision.Reason;

class InteractionRulesTest {

    private final AccessRules rules = new AccessRules(AccessPolicy.load("classpath:identity/access-policy.yaml"));
    private final InteractionRules interactions = new InteractionRules(rules);

    private static final ActorIdentity GP = professional("gp", "SYNG09");
    private static final ActorIdentity PATIENT =
            new ActorIdentity("patient.dot", List.of("patient"), null, null, null, "9990000018", null);
    private static final ActorIdentity SYSTEM =
            new ActorIdentity("service-account-acute", List.of("system"), "SYNAC", null, null, null, null);
    private static final ActorIdentity ADMIN = professional("testbed-admin", "SYNICB");

    private static ActorIdentity professional(String role, String organisation) {
        return new ActorIdentity(role + ".user", List.of(role), organisation, "900000000199", "R8000", null, null);
    }

    private static RequestFacts search(ActorIdentity actor, String type, Map<String, List<String>> parameters) {
        return new RequestFacts(actor, "search-type", null, type, false, true, parameters, Map.of());
    }

    private static RequestFacts operation(ActorIdentity actor, String name, String type, boolean instance) {
        return new RequestFacts(actor, RequestFacts.OPERATION, name, type, instance, true, Map.of(), Map.of());
    }

    @Test
    void onlyARoleGrantedEmergencyAccessBreaksTheGlassAndOnlyWithAReason() {
        assertThat(interactions.purpose(GP, null)).isEqualTo(new InteractionRules.Purpose.Granted(AccessPolicy.TREAT));
        assertThat(interactions.purpose(GP, "unconscious in ED"))
                .isEqualTo(new InteractionRules.Purpose.Granted(AccessPolicy.BREAK_GLASS));
        assertThat(interactions.purpose(GP, " ")).isInstanceOf(InteractionRules.Purpose.Malformed.class);
        assertThat(interactions.purpose(professional("pharmacist", "SYNPH"), "urgent"))
                .isInstanceOf(InteractionRules.Purpose.Refused.class);
    }

    @Test
    void totalsOfPatientDataAreRefusedExceptAProfessionalsTrace() {
        Map<String, List<String>> count = Map.of("_summary", List.of("count"));
        assertThat(interactions.refusesTotal(search(GP, "Observation", count))).isTrue();
        assertThat(interactions.refusesTotal(search(GP, "Observation", Map.of("_total", List.of("accurate")))))
                .isTrue();
        assertThat(interactions.refusesTotal(search(GP, "Observation", Map.of("_summary", List.of("true")))))
                .isFalse();
        // The trace exception: a professional's Patient search keeps its total; a patient's does not.
        assertThat(interactions.refusesTotal(search(GP, "Patient", count))).isFalse();
        assertThat(interactions.refusesTotal(search(PATIENT, "Patient", count))).isTrue();
        assertThat(interactions.refusesTotal(search(SYSTEM, "Observation", count)))
                .isFalse();
        assertThat(interactions.refusesTotal(
                        new RequestFacts(GP, "search-type", null, "Organization", false, false, count, Map.of())))
                .isFalse();
        assertThat(interactions.keepsTotal(GP, "Observation", true)).isFalse();
        assertThat(interactions.keepsTotal(GP, "Patient", true)).isTrue();
    }

    @Test
    void reverseChainingAndChainsIntoClinicalEntriesAreRefused() {
        assertThat(interactions.refusal(
                        search(GP, "Patient", Map.of("_has:Observation:subject:status", List.of("final")))))
                .map(AccessDecision::reason)
                .contains(Reason.OPERATION);
        assertThat(interactions.refusal(new RequestFacts(
                        GP,
                        "search-type",
                        null,
                        "Condition",
                        false,
                        true,
                        Map.of("encounter.status", List.of("finished")),
                        Map.of("encounter.status", Set.of("Encounter")))))
                .map(AccessDecision::detail)
                .hasValueSatisfying(d -> assertThat(d).contains("encounter.status"));
        // Chains by identifier, or into the directory and demographics, search no clinical content.
        assertThat(interactions.refusal(search(GP, "Observation", Map.of("subject:Patient.identifier", List.of("x")))))
                .isEmpty();
        assertThat(interactions.refusal(new RequestFacts(
                        GP,
                        "search-type",
                        null,
                        "Observation",
                        false,
                        true,
                        Map.of("performer.name", List.of("x")),
                        Map.of("performer.name", Set.of("Practitioner", "Organization")))))
                .isEmpty();
        assertThat(interactions.refusal(new RequestFacts(
                        GP,
                        "search-type",
                        null,
                        "Observation",
                        false,
                        true,
                        Map.of("subject.name", List.of("x")),
                        Map.of())))
                .as("a link the server cannot place is refused")
                .isPresent();
        // A system client is not restricted.
        assertThat(interactions.refusal(
                        search(SYSTEM, "Patient", Map.of("_has:Observation:subject:status", List.of()))))
                .isEmpty();
    }

    @Test
    void deletesAndExpungeAreTheDeletersOnlySystemClientsIncluded() {
        RequestFacts delete = new RequestFacts(SYSTEM, "delete", null, "Observation", true, true, Map.of(), Map.of());
        assertThat(interactions.refusal(delete)).contains(InteractionRules.DELETE_REFUSAL);
        assertThat(interactions.refusal(operation(GP, "expunge", null, false)))
                .contains(InteractionRules.DELETE_REFUSAL);
        assertThat(interactions.refusal(new RequestFacts(
                        GP, "update", null, "Observation", true, true, Map.of("_expunge", List.of("true")), Map.of())))
                .contains(InteractionRules.DELETE_REFUSAL);
        assertThat(interactions.refusal(
                        new RequestFacts(ADMIN, "delete", null, "Observation", true, true, Map.of(), Map.of())))
                .isEmpty();
    }

    @Test
    void operationsAreThePolicysAndMetaOnlyOnOneEntry() {
        assertThat(interactions.refusal(operation(GP, "everything", "Patient", true)))
                .isEmpty();
        assertThat(interactions.refusal(operation(GP, "meta", "Observation", true)))
                .isEmpty();
        assertThat(interactions.refusal(operation(GP, "meta", "Observation", false)))
                .map(AccessDecision::detail)
                .hasValueSatisfying(d -> assertThat(d).contains("every record's labels"));
        assertThat(interactions.refusal(operation(GP, "graphql", null, false))).isPresent();
        assertThat(interactions.refusal(operation(GP, null, null, false))).isPresent();
        Optional<AccessDecision> rewrite = interactions.refusal(
                new RequestFacts(GP, "update-rewrite-history", null, "Observation", true, true, Map.of(), Map.of()));
        assertThat(rewrite).map(AccessDecision::detail).contains("interaction update-rewrite-history is not offered");
        assertThat(interactions.refusal(search(GP, "Observation", Map.of("patient", List.of("1")))))
                .isEmpty();
    }
}
