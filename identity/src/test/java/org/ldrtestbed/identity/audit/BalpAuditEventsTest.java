package org.ldrtestbed.identity.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;

class BalpAuditEventsTest {

    @Test
    void aPatientReadIsAPatientReadWithTheUserTheirRolesAndThePatient() {
        AuditEvent event = BalpAuditEvents.toAuditEvent(AuditRecords.read("Patient/123", "Observation/42"));

        assertThat(event.getMeta().getProfile().get(0).getValue())
                .isEqualTo("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");
        assertThat(event.getType().getCode()).isEqualTo("rest");
        assertThat(event.getSubtypeFirstRep().getSystem()).isEqualTo("http://hl7.org/fhir/restful-interaction");
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode())
                .isEqualTo("TREAT");

        AuditEventAgentComponent user = requestor(event);
        assertThat(user.getWho().getIdentifier().getSystem()).isEqualTo(BalpAuditEvents.REALM_USER);
        assertThat(user.getWho().getIdentifier().getValue()).isEqualTo("gp.ashdown");
        assertThat(user.getRole())
                .flatExtracting(c -> c.getCoding())
                .extracting(Coding::getCode)
                .containsExactly("gp", "R8000");
        assertThat(user.getExtensionFirstRep().getValue())
                .isInstanceOfSatisfying(org.hl7.fhir.r4.model.Identifier.class, id -> {
                    assertThat(id.getSystem()).isEqualTo(BalpAuditEvents.SDS_USER_ID);
                    assertThat(id.getValue()).isEqualTo("900000000101");
                });
        assertThat(event.getAgent())
                .extracting(a -> a.getWho().getIdentifier().getSystem())
                .contains(BalpAuditEvents.ODS_ORGANISATION);

        AuditEventEntityComponent patient = entity(event, "1");
        assertThat(patient.getType().getCode()).isEqualTo("1");
        assertThat(patient.getWhat().getReference()).isEqualTo("Patient/123");
        assertThat(patient.getWhat().getIdentifier().getSystem()).isEqualTo(NhsNumber.SYSTEM);
        assertThat(patient.getWhat().getIdentifier().getValue()).isEqualTo(AuditRecords.NHS_NUMBER);
        assertThat(entity(event, "4").getWhat().getReference()).isEqualTo("Observation/42");
    }

    @Test
    void aSearchWithoutAPatientIsAQueryCarryingTheQueryString() {
        AuditEvent event = BalpAuditEvents.toAuditEvent(AuditRecords.search("code=8867-4&_count=10"));

        assertThat(event.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.Query");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        AuditEventEntityComponent query = entity(event, "24");
        assertThat(new String(query.getQuery(), StandardCharsets.UTF_8)).isEqualTo("code=8867-4&_count=10");
        assertThat(event.getEntity()).noneMatch(e -> "1".equals(e.getRole().getCode()));
        // Only clients that identify themselves get a client agent.
        assertThat(event.getAgent())
                .noneMatch(a -> BalpAuditEvents.CLIENT_ID.equals(
                        a.getWho().getIdentifier().getSystem()));
    }

    @Test
    void breakingTheGlassKeepsTheReasonWithThePurpose() {
        AuditRecord read = AuditRecords.read("Patient/123", "Patient/123");
        AuditRecord btg = new AuditRecord(
                read.occurred(),
                "R",
                "read",
                "Patient",
                "Patient/123",
                0,
                null,
                read.username(),
                read.roles(),
                read.organisation(),
                read.practitioner(),
                read.nrbacRole(),
                read.clientId(),
                "BTG",
                "Unconscious, no consent possible",
                "Patient/123",
                AuditRecords.NHS_NUMBER,
                null);

        AuditEventAgentComponent user = requestor(BalpAuditEvents.toAuditEvent(btg));

        assertThat(user.getPurposeOfUseFirstRep().getCodingFirstRep().getCode()).isEqualTo("BTG");
        assertThat(user.getPurposeOfUseFirstRep().getText()).isEqualTo("Unconscious, no consent possible");
    }

    @Test
    void eachInteractionHasItsProfile() {
        assertThat(profile("create", "C", true)).endsWith(".PatientCreate");
        assertThat(profile("patch", "U", false)).endsWith(".Update");
        assertThat(profile("delete", "D", true)).endsWith(".PatientDelete");
        assertThat(profile("history", "R", false)).endsWith(".Query");
        assertThat(profile("operation", "C", false)).endsWith(".Create");
    }

    @Test
    void theJsonReadsBackToTheSameJson() {
        AuditEvent event = BalpAuditEvents.toAuditEvent(AuditRecords.read("Patient/123", "Observation/42"));
        event.setId("7");
        String json = BalpAuditEvents.toJson(event);

        assertThat(json)
                .doesNotContain("\n")
                .contains("\"id\":\"7\"")
                .contains("\"recorded\":\"2026-03-01T09:00:00.000+00:00\"");
        assertThat(BalpAuditEvents.toJson(BalpAuditEvents.parse(json))).isEqualTo(json);
    }

    private static String profile(String interaction, String action, boolean patient) {
        AuditRecord record = new AuditRecord(
                Instant.EPOCH,
                action,
                interaction,
                null,
                null,
                0,
                null,
                "u",
                List.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                patient ? "Patient/1" : null,
                null,
                null);
        return BalpAuditEvents.profile(record);
    }

    private static AuditEventAgentComponent requestor(AuditEvent event) {
        return event.getAgent().stream()
                .filter(a -> a.getRequestor())
                .findFirst()
                .orElseThrow();
    }

    private static AuditEventEntityComponent entity(AuditEvent event, String role) {
        return event.getEntity().stream()
                .filter(e -> role.equals(e.getRole().getCode()))
                .findFirst()
                .orElseThrow();
    }
}
