package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.ldrtestbed.fhirserver.publication.HeldEntries;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessDecision.Reason;
import org.ldrtestbed.identity.access.AccessFacts;
import org.ldrtestbed.identity.access.AccessRules;

/**
 * Decides whether a reader may see one stored entry: gathers the facts (class, writer, labels, the patient's
 * relationships and consents) and asks the policy's {@link AccessRules}, then the publishing flows' {@link
 * HeldEntries}. Plain Java; {@link AccessInterceptor} calls it for every resource a response would show.
 */
public final class AccessControl {

    private final FhirContext fhirContext;
    private final AccessRules rules;
    private final ResourceClassifier classifier;
    private final CareRelationships relationships;
    private final PatientRecords records;
    private final HeldEntries heldEntries;

    public AccessControl(
            FhirContext fhirContext,
            AccessRules rules,
            ResourceClassifier classifier,
            CareRelationships relationships,
            PatientRecords records,
            HeldEntries heldEntries) {
        this.fhirContext = fhirContext;
        this.rules = rules;
        this.classifier = classifier;
        this.relationships = relationships;
        this.records = records;
        this.heldEntries = heldEntries;
    }

    public AccessRules rules() {
        return rules;
    }

    public CareRelationships relationships() {
        return relationships;
    }

    public PatientRecords records() {
        return records;
    }

    public AccessDecision decide(IBaseResource entry, ActorIdentity reader, String purpose) {
        return decide(entry, patientIdsOf(entry), reader, purpose);
    }

    /** As {@link #decide(IBaseResource, ActorIdentity, String)}, with the entry's patients already known. */
    public AccessDecision decide(IBaseResource entry, List<String> patients, ActorIdentity reader, String purpose) {
        Optional<String> resourceClass = classifier.classOf(entry);
        if (resourceClass.isEmpty() || !rules.restricts(reader)) {
            return AccessDecision.allow();
        }
        String type = fhirContext.getResourceType(entry);
        String organisation = reader.organisation();
        Set<String> own = ownPatients(reader);
        Set<String> granted = new LinkedHashSet<>();
        if (rules.isProxy(reader)) {
            own.forEach(p -> granted.addAll(records.grantedTo(p, reader.username())));
        }
        AccessFacts facts = new AccessFacts(
                reader,
                purpose,
                type,
                resourceClass.get(),
                classifier.sensitiveCategories(entry),
                organisation != null
                        && classifier
                                .writerOrganisation(entry)
                                .map(organisation::equals)
                                .orElse(false),
                patients.stream().anyMatch(own::contains),
                granted,
                patients.stream().anyMatch(p -> relationships.involved(p, organisation)),
                organisation != null && patients.stream().anyMatch(p -> records.dissents(p, organisation, type)));
        AccessDecision decision = rules.decide(facts);
        if (!decision.allowed()) {
            return decision;
        }
        List<String> holding = heldEntries.holdingFlows(entry, reader);
        return holding.isEmpty()
                ? decision
                : AccessDecision.deny(
                        Reason.HELD,
                        "held by the organisation that wrote it until flow " + String.join(" or ", holding)
                                + " publishes it");
    }

    /** The patients whose record an entry is part of. */
    public List<String> patientIdsOf(IBaseResource entry) {
        if ("Patient".equals(fhirContext.getResourceType(entry))) {
            return entry.getIdElement().getIdPart() == null
                    ? List.of()
                    : List.of(entry.getIdElement().getIdPart());
        }
        if (!classifier.isPatientData(fhirContext.getResourceType(entry))) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        String type = fhirContext.getResourceType(entry);
        if (!fhirContext
                .getResourceDefinition(type)
                .getSearchParamsForCompartmentName("Patient")
                .isEmpty()) {
            // HAPI names every reference of the compartment's parameters an owner, whatever it points at (a care
            // team's member organisation, an observation's performer): only Patients are the patient's.
            for (IIdType owner : fhirContext.newTerser().getCompartmentOwnersForResource("Patient", entry, Set.of())) {
                if ("Patient".equals(owner.getResourceType())
                        && owner.getIdPart() != null
                        && !ids.contains(owner.getIdPart())) {
                    ids.add(owner.getIdPart());
                }
            }
            return ids;
        }
        for (String element : classifier.patientElements(type)) {
            for (IBaseReference reference : fhirContext.newTerser().getValues(entry, element, IBaseReference.class)) {
                IIdType target = reference.getReferenceElement();
                if ("Patient".equals(target.getResourceType()) && !ids.contains(target.getIdPart())) {
                    ids.add(target.getIdPart());
                }
            }
        }
        return ids;
    }

    /** The Patient resources a patient's or proxy's token is for. */
    public Set<String> ownPatients(ActorIdentity reader) {
        Set<String> own = new LinkedHashSet<>();
        if (rules.isPatient(reader)) {
            own.addAll(records.patientIds(reader.patient()));
        }
        if (rules.isProxy(reader)) {
            own.addAll(records.patientIds(reader.proxyFor()));
        }
        return own;
    }

    /** Whether entries of this type are part of a patient's record (the rest is the directory's, open to all). */
    public boolean isPatientData(String type) {
        return type != null && classifier.isPatientData(type);
    }

    public Optional<String> writerOrganisation(IBaseResource entry) {
        return classifier.writerOrganisation(entry);
    }
}
