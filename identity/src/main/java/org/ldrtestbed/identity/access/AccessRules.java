package org.ldrtestbed.identity.access;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision.Reason;

/** Decides one read from its {@link AccessFacts}, in the order the policy file documents. */
public final class AccessRules {

    private final AccessPolicy policy;

    public AccessRules(AccessPolicy policy) {
        this.policy = policy;
    }

    public AccessPolicy policy() {
        return policy;
    }

    /** Whether the policy's clinical rules apply to this actor at all (system clients are exempt). */
    public boolean restricts(ActorIdentity reader) {
        return reader.roles().stream().noneMatch(policy.unrestrictedRoles()::contains);
    }

    public boolean isPatient(ActorIdentity reader) {
        return reader.roles().contains(policy.patientRole()) && reader.patient() != null;
    }

    public boolean isProxy(ActorIdentity reader) {
        return reader.roles().contains(policy.proxyRole()) && reader.proxyFor() != null;
    }

    public AccessDecision decide(AccessFacts facts) {
        ActorIdentity reader = facts.reader();
        if (facts.resourceClass() == null || !restricts(reader)) {
            return AccessDecision.allow();
        }
        if (isPatient(reader) || isProxy(reader)) {
            if (!facts.ownRecord()) {
                return AccessDecision.deny(Reason.OTHER_PATIENT, "not the record of the patient this token is for");
            }
            if (isProxy(reader)
                    && !isPatient(reader)
                    && !facts.proxyGrantedTypes().contains(facts.resourceType())) {
                return AccessDecision.deny(
                        Reason.NOT_GRANTED, "the patient has not granted their proxy " + facts.resourceType());
            }
            return AccessDecision.allow();
        }
        boolean ownOrganisation = facts.writtenByReaderOrganisation();
        if (!facts.sensitiveCategories().isEmpty() && !ownOrganisation) {
            // The category itself (sexual health, IVF...) is not said: naming it would disclose it.
            return AccessDecision.deny(
                    Reason.SENSITIVE, "labelled sensitive: seen only by the organisation that recorded it");
        }
        if (!granted(reader.roles(), facts.purpose()).contains(facts.resourceClass())) {
            return AccessDecision.deny(
                    Reason.ROLE,
                    "role " + String.join("/", reader.roles()) + " is not granted " + facts.resourceClass() + " for "
                            + facts.purpose());
        }
        boolean emergency = AccessPolicy.BREAK_GLASS.equals(facts.purpose());
        List<Reason> overridden = new ArrayList<>();
        boolean needsRelationship =
                !policy.legitimateRelationship().withoutRelationship().contains(facts.resourceClass());
        if (needsRelationship && !ownOrganisation && !facts.relationship()) {
            if (!emergency) {
                return AccessDecision.deny(
                        Reason.NO_RELATIONSHIP,
                        "organisation " + reader.organisation() + " has no legitimate relationship with the patient");
            }
            overridden.add(Reason.NO_RELATIONSHIP);
        }
        if (facts.dissent() && !ownOrganisation) {
            if (!emergency) {
                return AccessDecision.deny(
                        Reason.DISSENT, "the patient has dissented from sharing this with " + reader.organisation());
            }
            overridden.add(Reason.DISSENT);
        }
        return AccessDecision.allowOverriding(overridden);
    }

    /** The classes any of the reader's roles is granted for the purpose. */
    public Set<String> granted(List<String> roles, String purpose) {
        Set<String> granted = new LinkedHashSet<>();
        roles.forEach(r -> policy.grants(r, purpose).ifPresent(granted::addAll));
        return granted;
    }
}
