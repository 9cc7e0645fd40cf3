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

    /**
     * The care events that would make an organisation involved, as the policy names them, e.g. {@code
     * CareTeam.participant.member}; a referral counts only when another organisation (or a system) sent it.
     */
    public String careEventsThatRelate() {
        List<String> events = new ArrayList<>();
        new java.util.TreeMap<>(policy.legitimateRelationship().careEvents()).forEach((type, event) -> {
            event.recorded().forEach(path -> events.add(type + "." + path));
            event.referred().forEach(path -> events.add(type + "." + path + " (sent by another organisation)"));
        });
        return String.join(", ", events);
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
                        "organisation " + reader.organisation() + " has no legitimate relationship with the patient;"
                                + " one arises from a care event naming it: " + careEventsThatRelate());
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

    /**
     * Decides one write in the order the policy file documents: a patient or proxy only into their own record and
     * only the types they may write; a professional only classes its role is granted, and changes only what its own
     * organisation wrote; nobody moves an entry to another patient's record.
     */
    public AccessDecision decideWrite(WriteFacts facts) {
        ActorIdentity writer = facts.writer();
        if (!restricts(writer)) {
            return AccessDecision.allow();
        }
        if (facts.movesRecord()) {
            return AccessDecision.deny(
                    Reason.MOVES_RECORD, "an entry stays in the record of the patient it was written for");
        }
        AccessPolicy.Writes writes = policy.writes();
        if (isPatient(writer) || isProxy(writer)) {
            if (facts.resourceClass() != null && !facts.ownRecord()) {
                return AccessDecision.deny(Reason.OTHER_PATIENT, "not the record of the patient this token is for");
            }
            if (isPatient(writer)) {
                return writes.patientTypes().contains(facts.resourceType())
                        ? AccessDecision.allow()
                        : AccessDecision.deny(
                                Reason.ROLE, "a patient does not write " + facts.resourceType() + " into their record");
            }
            return facts.proxyGrantedTypes().contains(facts.resourceType())
                            && !writes.proxyNever().contains(facts.resourceType())
                    ? AccessDecision.allow()
                    : AccessDecision.deny(
                            Reason.NOT_GRANTED, "a proxy writes only what the patient granted them, never consent");
        }
        if (facts.kind() == WriteFacts.Kind.CHANGE
                && !facts.previousWrittenByWriterOrganisation()
                && !facts.ownerWorkflowChange()) {
            List<String> owned = writes.ownerChanges().get(facts.resourceType());
            return AccessDecision.deny(
                    Reason.NOT_WRITER,
                    "only the organisation that recorded an entry changes it or its labels"
                            + (owned == null
                                    ? ""
                                    : "; the organisation it is addressed to changes only "
                                            + String.join(", ", owned)));
        }
        if (facts.resourceClass() == null) {
            return AccessDecision.allow();
        }
        boolean consent = "Consent".equals(facts.resourceType());
        boolean granted = consent
                ? writer.roles().stream().anyMatch(writes.consentRecorders()::contains)
                : granted(writer.roles(), AccessPolicy.TREAT).contains(facts.resourceClass());
        return granted
                ? AccessDecision.allow()
                : AccessDecision.deny(
                        Reason.ROLE,
                        "role " + String.join("/", writer.roles()) + " does not record "
                                + (consent ? "consent" : facts.resourceClass()));
    }

    /** Whether the actor may delete or expunge (hard delete): the policy's deleters only, system clients included. */
    public boolean mayDelete(ActorIdentity actor) {
        return actor.roles().stream().anyMatch(policy.writes().deleters()::contains);
    }

    /** Whether a FHIR operation (without its {@code $}) is offered to a restricted actor. */
    public boolean offers(String operation) {
        return policy.operations().contains(operation);
    }

    /** The classes any of the reader's roles is granted for the purpose. */
    public Set<String> granted(List<String> roles, String purpose) {
        Set<String> granted = new LinkedHashSet<>();
        roles.forEach(r -> policy.grants(r, purpose).ifPresent(granted::addAll));
        return granted;
    }
}
