package org.ldrtestbed.fhirserver.access;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessDecision.Reason;

/**
 * What one request did with the record, kept on the request while HAPI serves it: the purpose of use, the patients
 * whose entries it saw or wrote, what it was refused and why, and what emergency access overrode. The audit trail
 * and the privacy officer's alerts are made from it.
 */
public final class RequestAccess {

    /** Key of this object in HAPI's per-request user data. */
    public static final String KEY = RequestAccess.class.getName();

    private final ActorIdentity actor;
    private final String purpose;
    private final String breakGlassReason;
    private final Set<String> patients = new LinkedHashSet<>();
    private final Map<String, Withheld> withheld = new LinkedHashMap<>();
    private final Map<String, AccessDecision> decided = new HashMap<>();
    private final Map<String, Set<Reason>> overridden = new LinkedHashMap<>();
    private final Map<String, CareRelationships.CareRelationship> grantedBy = new LinkedHashMap<>();

    public RequestAccess(ActorIdentity actor, String purpose, String breakGlassReason) {
        this.actor = actor;
        this.purpose = purpose;
        this.breakGlassReason = breakGlassReason;
    }

    /** One entry left out of a response. */
    public record Withheld(String reference, String patientId, Reason reason, String detail) {}

    public synchronized void touched(List<String> patientIds) {
        patients.addAll(patientIds);
    }

    /**
     * The decision for one version of an entry, made once per request: HAPI may show a search's resources to the
     * interceptors more than once.
     */
    public synchronized AccessDecision decision(String versionedReference, Supplier<AccessDecision> decide) {
        return decided.computeIfAbsent(versionedReference, r -> decide.get());
    }

    /** Each entry is counted once, however often it was shown. */
    public synchronized void withheld(Withheld entry) {
        if (withheld.putIfAbsent(entry.reference(), entry) == null && entry.patientId() != null) {
            patients.add(entry.patientId());
        }
    }

    public synchronized void overrode(List<String> patientIds, List<Reason> reasons) {
        for (String patientId : patientIds) {
            overridden.computeIfAbsent(patientId, p -> new LinkedHashSet<>()).addAll(reasons);
        }
    }

    /** A care relationship that an entry shown was allowed by; each is named once. */
    public synchronized void grantedBy(CareRelationships.CareRelationship relationship) {
        grantedBy.putIfAbsent(relationship.patientId() + "|" + relationship.organisation(), relationship);
    }

    /** Whether a relationship of the organisation is named already for every one of these patients. */
    public synchronized boolean namesRelationshipsOf(List<String> patients, String organisation) {
        return !patients.isEmpty() && patients.stream().allMatch(p -> grantedBy.containsKey(p + "|" + organisation));
    }

    public synchronized List<CareRelationships.CareRelationship> grantedBy() {
        return List.copyOf(grantedBy.values());
    }

    public ActorIdentity actor() {
        return actor;
    }

    public String purpose() {
        return purpose;
    }

    public String breakGlassReason() {
        return breakGlassReason;
    }

    public synchronized Set<String> patients() {
        return Set.copyOf(patients);
    }

    public synchronized List<Withheld> withheld() {
        return List.copyOf(withheld.values());
    }

    public synchronized Map<String, Set<Reason>> overridden() {
        return Map.copyOf(overridden);
    }
}
