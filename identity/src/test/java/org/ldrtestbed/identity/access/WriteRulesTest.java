package org.ldrtestbed.identity.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision.Reason;
import org.ldrtestbed.identity.access.WriteFacts.Kind;

/** The write rules of the shipped policy: who records what, who changes it, and what nobody does. */
class WriteRulesTest {

    private final AccessRules rules = new AccessRules(AccessPolicy.load("classpath:identity/access-policy.yaml"));

    private static final ActorIdentity GP =
            new ActorIdentity("gp.user", List.of("gp"), "SYNG09", "900000000101", "R8000", null, null);
    private static final ActorIdentity PHARMACIST =
            new ActorIdentity("pharmacist.user", List.of("pharmacist"), "SYNAC", "900000000102", "R8000", null, null);
    private static final ActorIdentity NURSE =
            new ActorIdentity("nurse.user", List.of("district-nurse"), "SYNCM", "900000000103", "R8000", null, null);
    private static final ActorIdentity PATIENT =
            new ActorIdentity("patient.user", List.of("patient"), null, null, null, "9990000077", null);
    private static final ActorIdentity PROXY =
            new ActorIdentity("proxy.user", List.of("proxy"), null, null, null, null, "9990000077");
    private static final ActorIdentity SYSTEM =
            new ActorIdentity("service-account-x", List.of("system"), "SYNMX", null, null, null, null);
    private static final ActorIdentity ADMIN =
            new ActorIdentity("admin.user", List.of("testbed-admin"), "SYNCCG", null, null, null, null);

    private Reason refused(WriteFacts facts) {
        AccessDecision decision = rules.decideWrite(facts);
        return decision.allowed() ? null : decision.reason();
    }

    private static WriteFacts create(ActorIdentity writer, String type, String resourceClass, boolean ownRecord) {
        return new WriteFacts(writer, Kind.CREATE, type, resourceClass, false, ownRecord, Set.of(), false, false);
    }

    private static WriteFacts change(ActorIdentity writer, String type, String resourceClass, boolean writerWroteIt) {
        return new WriteFacts(writer, Kind.CHANGE, type, resourceClass, writerWroteIt, true, Set.of(), false, false);
    }

    @Test
    void professionalsRecordOnlyTheClassesTheirRoleIsGranted() {
        assertThat(refused(create(GP, "Condition", "problems", false))).isNull();
        assertThat(refused(create(PHARMACIST, "Immunization", "immunisations", false)))
                .isNull();
        assertThat(refused(create(PHARMACIST, "Condition", "problems", false))).isEqualTo(Reason.ROLE);
        assertThat(refused(create(PHARMACIST, "Consent", "consents", false)))
                .as("only the policy's consent recorders record consent for a patient")
                .isEqualTo(Reason.ROLE);
        assertThat(refused(create(GP, "Consent", "consents", false))).isNull();
    }

    @Test
    void theOrganisationATaskIsAddressedToMovesItThroughItsWorkflowAndNothingElse() {
        WriteFacts completing =
                new WriteFacts(NURSE, Kind.CHANGE, "Task", "referrals", false, true, Set.of(), false, true);
        assertThat(refused(completing)).isNull();

        AccessDecision other = rules.decideWrite(change(NURSE, "Task", "referrals", false));
        assertThat(other.reason()).isEqualTo(Reason.NOT_WRITER);
        assertThat(other.detail())
                .as("the refusal says what the owner could have changed")
                .contains("status", "businessStatus", "output");
        assertThat(rules.decideWrite(change(NURSE, "Condition", "problems", false))
                        .detail())
                .doesNotContain("addressed to");
    }

    @Test
    void onlyTheRecordingOrganisationChangesAnEntry() {
        assertThat(refused(change(GP, "Condition", "problems", true))).isNull();
        assertThat(refused(change(GP, "Condition", "problems", false))).isEqualTo(Reason.NOT_WRITER);
        assertThat(refused(change(SYSTEM, "Condition", "problems", false)))
                .as("a system client delivering a flow")
                .isNull();
    }

    @Test
    void nothingMovesAnEntryToAnotherPatient() {
        WriteFacts moving =
                new WriteFacts(GP, Kind.CHANGE, "Observation", "observations", true, false, Set.of(), true, false);
        assertThat(refused(moving)).isEqualTo(Reason.MOVES_RECORD);
        WriteFacts patientMoving =
                new WriteFacts(PATIENT, Kind.CHANGE, "Appointment", "referrals", false, true, Set.of(), true, false);
        assertThat(refused(patientMoving)).isEqualTo(Reason.MOVES_RECORD);
    }

    @Test
    void aPatientWritesOnlyTheirOwnRecordAndOnlyWhatThePolicyLets_them() {
        assertThat(refused(create(PATIENT, "Appointment", "referrals", true))).isNull();
        assertThat(refused(create(PATIENT, "Consent", "consents", true))).isNull();
        assertThat(refused(create(PATIENT, "Appointment", "referrals", false))).isEqualTo(Reason.OTHER_PATIENT);
        assertThat(refused(create(PATIENT, "Observation", "observations", true)))
                .isEqualTo(Reason.ROLE);
    }

    @Test
    void aProxyWritesWhatTheyWereGrantedButNeverConsent() {
        WriteFacts booking = new WriteFacts(
                PROXY, Kind.CREATE, "Appointment", "referrals", false, true, Set.of("Appointment"), false, false);
        assertThat(refused(booking)).isNull();
        WriteFacts widening =
                new WriteFacts(PROXY, Kind.CREATE, "Consent", "consents", false, true, Set.of("Consent"), false, false);
        assertThat(refused(widening)).isEqualTo(Reason.NOT_GRANTED);
        WriteFacts ungranted = new WriteFacts(
                PROXY, Kind.CREATE, "Condition", "problems", false, true, Set.of("Appointment"), false, false);
        assertThat(refused(ungranted)).isEqualTo(Reason.NOT_GRANTED);
    }

    @Test
    void onlyTheAdministratorDeletes_notEvenASystem() {
        assertThat(rules.mayDelete(ADMIN)).isTrue();
        assertThat(rules.mayDelete(GP)).isFalse();
        assertThat(rules.mayDelete(SYSTEM)).isFalse();
    }

    @Test
    void theOperationsOfferedAreThePolicysList() {
        assertThat(rules.offers("meta")).isTrue();
        assertThat(rules.offers("everything")).isTrue();
        assertThat(rules.offers("get-resource-counts")).isFalse();
        assertThat(rules.offers("expunge")).isFalse();
    }
}
