package org.ldrtestbed.identity.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One access to the FHIR server, as the audit trail records it: what was done, by whom, why, and to whose record.
 * {@link BalpAuditEvents} turns it into a FHIR AuditEvent.
 *
 * @param occurred when the access happened
 * @param action FHIR AuditEvent action code: C, R, U, D or E
 * @param interaction FHIR RESTful interaction, e.g. {@code read}, {@code search-type}, {@code create}
 * @param resourceType the resource type acted on, null for system-level interactions
 * @param query the request's query string for searches, or the reference read or written (e.g. {@code
 *     Observation/42}); may be null
 * @param outcome 0 success, 4 minor failure (e.g. access denied), 8 serious failure, 12 major failure
 * @param outcomeDescription why it failed, or null
 * @param username the realm user (or a system client's service account)
 * @param roles the user's testbed roles
 * @param organisation ODS-style code of the user's organisation
 * @param practitioner SDS-style user id of the professional, or null
 * @param nrbacRole national RBAC access role code, e.g. {@code R8000}, or null
 * @param clientId the OAuth client the request came through, or null
 * @param purposeOfUse v3 ActReason code, e.g. {@code TREAT}, {@code BTG}
 * @param breakGlassReason the reason the user gave for breaking the glass, or null
 * @param patientReference the patient whose record was touched, e.g. {@code Patient/123}, or null
 * @param patientNhsNumber that patient's NHS number, or null
 * @param requestId the server's request id (X-Request-Id), or null
 */
public record AuditRecord(
        Instant occurred,
        String action,
        String interaction,
        String resourceType,
        String query,
        int outcome,
        String outcomeDescription,
        String username,
        List<String> roles,
        String organisation,
        String practitioner,
        String nrbacRole,
        String clientId,
        String purposeOfUse,
        String breakGlassReason,
        String patientReference,
        String patientNhsNumber,
        String requestId) {

    private static final Set<String> ACTIONS = Set.of("C", "R", "U", "D", "E");
    private static final Set<Integer> OUTCOMES = Set.of(0, 4, 8, 12);

    public AuditRecord {
        Objects.requireNonNull(occurred, "occurred");
        Objects.requireNonNull(interaction, "interaction");
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of C, R, U, D, E: " + action);
        }
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("outcome must be 0, 4, 8 or 12: " + outcome);
        }
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** True when there is a patient to record as the subject of the access. */
    public boolean hasPatient() {
        return patientReference != null || patientNhsNumber != null;
    }
}
