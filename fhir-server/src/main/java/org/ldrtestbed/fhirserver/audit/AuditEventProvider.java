package org.ldrtestbed.fhirserver.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.access.AccessControl;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.fhirserver.security.SecurityConfiguration;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.ldrtestbed.identity.audit.AuditVerification;

/**
 * {@code GET /fhir/AuditEvent?patient=...} answered from the hash-chained audit trail ("who saw my record"), instead
 * of HAPI's own AuditEvent table, which anyone could write to. A patient reads their own record's trail, a proxy only
 * if the patient granted them AuditEvent, the privacy officer and the digital lead any; nobody else.
 */
public class AuditEventProvider implements IResourceProvider {

    private static final int PAGE = 200;

    private final AuditTrail trail;
    private final AccessControl access;

    public AuditEventProvider(AuditTrail trail, AccessControl access) {
        this.trail = trail;
        this.access = access;
    }

    @Override
    public Class<? extends IBaseResource> getResourceType() {
        return AuditEvent.class;
    }

    /**
     * {@code GET /fhir/AuditEvent/$verify}: recomputes the hash chain and answers an OperationOutcome with one error
     * per changed or removed event (privacy officer, digital lead).
     */
    @Operation(name = "$verify", idempotent = true)
    public OperationOutcome verify() {
        ActorIdentity actor = CurrentActor.get().orElseThrow(() -> new ForbiddenOperationException("No actor"));
        if (!overseer(actor)) {
            throw new ForbiddenOperationException(
                    "Verifying the audit trail is for the privacy officer and the " + "digital lead");
        }
        AuditVerification verification = trail.verify();
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics(verification.checked() + " audit events checked; "
                        + (verification.intact()
                                ? "the chain is intact"
                                : verification.problems().size() + " problem(s)"));
        for (AuditVerification.Problem problem : verification.problems()) {
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.CONFLICT)
                    .setDiagnostics("event " + problem.seq() + " " + problem.kind() + ": " + problem.detail());
        }
        return outcome;
    }

    private static boolean overseer(ActorIdentity actor) {
        return actor.roles().contains(SecurityConfiguration.PRIVACY_OFFICER_ROLE)
                || actor.roles().contains(SecurityConfiguration.ADMIN_ROLE);
    }

    /**
     * Newest first, narrowed by {@code altid} (the user's login name) and {@code purpose} (v3 ActReason, e.g. BTG)
     * when given; paged by offset, with {@code next} links to the end of the trail.
     */
    @Search
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
            @OptionalParam(name = AuditEvent.SP_ALTID) TokenParam altid,
            @OptionalParam(name = "purpose") TokenParam purpose,
            @Offset Integer offset,
            @Count Integer count) {
        AuditTrail.Query query =
                query(patient, altid == null ? null : altid.getValue(), purpose == null ? null : purpose.getValue());
        int from = offset == null ? 0 : Math.max(0, offset);
        int size = count == null ? PAGE : Math.max(1, Math.min(count, PAGE));
        SimpleBundleProvider found = new SimpleBundleProvider(trail.find(query, from, size));
        found.setCurrentPageOffset(from);
        found.setCurrentPageSize(size);
        found.setSize((int) Math.min(Integer.MAX_VALUE, trail.count(query)));
        return found;
    }

    /** What the actor may search: any record for an overseer, their own (or a granting patient's) otherwise. */
    private AuditTrail.Query query(ReferenceParam patient, String username, String purpose) {
        ActorIdentity actor = CurrentActor.get().orElseThrow(() -> new ForbiddenOperationException("No actor"));
        String wanted = patient == null ? null : "Patient/" + patient.getIdPart();
        if (overseer(actor)) {
            return new AuditTrail.Query(wanted == null ? null : List.of(wanted), username, purpose);
        }
        boolean isPatient = access.rules().isPatient(actor);
        if (!isPatient && !access.rules().isProxy(actor)) {
            throw new ForbiddenOperationException("The audit trail is for the patient it is about (or their proxy), "
                    + "the privacy officer and the digital lead");
        }
        Set<String> own = access.ownPatients(actor);
        if (!isPatient) {
            own.removeIf(id -> !access.records().grantedTo(id, actor.username()).contains("AuditEvent"));
        }
        List<String> references = new ArrayList<>();
        own.forEach(id -> references.add("Patient/" + id));
        if (wanted != null && !references.contains(wanted)) {
            throw new ForbiddenOperationException(actor.username() + " may read only the trail of their own record");
        }
        if (references.isEmpty()) {
            throw new ForbiddenOperationException("The patient has not granted their proxy AuditEvent");
        }
        return new AuditTrail.Query(wanted == null ? references : List.of(wanted), username, purpose);
    }
}
