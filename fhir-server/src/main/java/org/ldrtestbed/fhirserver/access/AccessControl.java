package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.sl.cache.Cache;
import ca.uhn.fhir.sl.cache.CacheFactory;
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
import org.ldrtestbed.identity.access.WriteFacts;

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
    /**
     * The patients of each stored version an entry has been shown in: a version never changes, and finding them
     * (HAPI's compartment owners) was the largest part of deciding a large record's entries.
     */
    private final Cache<String, List<String>> patientsOfVersion = CacheFactory.buildEternal(1_000, 200_000);

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
        boolean writtenByReader = organisation != null
                && classifier
                        .writerOrganisation(entry)
                        .map(organisation::equals)
                        .orElse(false);
        if (patients.isEmpty() && ResourceClassifier.CONTAINERS.contains(type) && !writtenByReader) {
            // A Bundle or Binary that names no patient cannot be placed in a record: only its writer sees it.
            return AccessDecision.deny(Reason.NO_RELATIONSHIP, "it names no patient: seen only by its writer");
        }
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
                writtenByReader,
                !patients.isEmpty() && patients.stream().anyMatch(own::contains),
                granted,
                patients.stream().anyMatch(p -> relationships.involved(p, organisation)),
                organisation != null && patients.stream().anyMatch(p -> records.dissents(p, organisation, type)));
        AccessDecision decision = rules.decide(facts);
        if (!decision.allowed()) {
            return decision;
        }
        return heldEntries.hold(entry, patients, reader).orElse(decision);
    }

    /**
     * The care relationship an allowed read of the entry rests on, for the {@code X-Care-Relationship} header: empty
     * when the reader needed none (a patient, a system, demographics, their organisation's own entry, emergency
     * access, which overrides the rule instead).
     */
    public Optional<CareRelationships.CareRelationship> grantedBy(
            IBaseResource entry, List<String> patients, ActorIdentity reader, String purpose) {
        String organisation = reader.organisation();
        if (organisation == null
                || !rules.restricts(reader)
                || rules.isPatient(reader)
                || rules.isProxy(reader)
                || !org.ldrtestbed.identity.access.AccessPolicy.TREAT.equals(purpose)) {
            return Optional.empty();
        }
        Optional<String> resourceClass = classifier.classOf(entry);
        if (resourceClass.isEmpty()
                || rules.policy().legitimateRelationship().withoutRelationship().contains(resourceClass.get())
                || classifier
                        .writerOrganisation(entry)
                        .map(organisation::equals)
                        .orElse(false)) {
            return Optional.empty();
        }
        return patients.stream()
                .map(p -> relationships.relationship(p, organisation))
                .flatMap(Optional::stream)
                .findFirst();
    }

    /**
     * What the policy says of a write: a create of {@code entry}, or a change from {@code previous} to it (with
     * {@code entry} null for a label added to or removed from {@code previous}).
     */
    public AccessDecision decideWrite(IBaseResource previous, IBaseResource entry, ActorIdentity writer) {
        if (!rules.restricts(writer)) {
            return AccessDecision.allow();
        }
        IBaseResource written = entry != null ? entry : previous;
        String type = fhirContext.getResourceType(written);
        List<String> patients = patientIdsOf(written);
        List<String> before = previous == null ? patients : patientIdsOf(previous);
        Set<String> own = ownPatients(writer);
        Set<String> granted = new LinkedHashSet<>();
        if (rules.isProxy(writer)) {
            own.forEach(p -> granted.addAll(records.grantedTo(p, writer.username())));
        }
        boolean ownRecord = !patients.isEmpty() && own.containsAll(patients) && own.containsAll(before);
        boolean previousWrittenByWriter = previous != null
                && writer.organisation() != null
                && classifier
                        .writerOrganisation(previous)
                        .map(writer.organisation()::equals)
                        .orElse(false);
        boolean ownerWorkflowChange = false;
        OwnerChanges ownerChanges =
                new OwnerChanges(fhirContext, rules.policy().writes().ownerChanges());
        if (previous != null && ownerChanges.governs(previous)) {
            // Whoever wrote the last version, the requester's side records a Task and its owner only moves it on.
            boolean requester = ownerChanges.requestedBy(previous, writer.organisation());
            if (!requester && ownerChanges.addressedTo(previous, writer.organisation())) {
                previousWrittenByWriter = false;
                ownerWorkflowChange = ownerChanges.workflowOnly(previous, entry);
            } else if (requester) {
                previousWrittenByWriter = true;
            }
        }
        return rules.decideWrite(new WriteFacts(
                writer,
                previous == null ? WriteFacts.Kind.CREATE : WriteFacts.Kind.CHANGE,
                type,
                // An entry naming no patient (a practice's schedule) is in nobody's record: only who may change it
                // counts.
                patients.isEmpty() && before.isEmpty() && !type.equals("Patient")
                        ? null
                        : classifier.classOf(written).orElse(null),
                previousWrittenByWriter,
                ownRecord,
                granted,
                previous != null && !Set.copyOf(before).equals(Set.copyOf(patients)),
                ownerWorkflowChange));
    }

    /**
     * Why a reader would be refused an entry of this type in these patients' records that their own organisation did
     * not write and no label makes sensitive: what a search may say it withheld, decided from the reader, the
     * patient and the type alone, never from the entries that matched (that would tell what they hold).
     */
    public Set<AccessDecision> wouldWithhold(String type, List<String> patients, ActorIdentity reader, String purpose) {
        Set<AccessDecision> reasons = new LinkedHashSet<>();
        Optional<String> resourceClass = policyClassOf(type);
        if (resourceClass.isEmpty() || !rules.restricts(reader)) {
            return reasons;
        }
        Set<String> own = ownPatients(reader);
        String organisation = reader.organisation();
        for (String patient : patients) {
            Set<String> granted = rules.isProxy(reader) && own.contains(patient)
                    ? records.grantedTo(patient, reader.username())
                    : Set.of();
            AccessDecision decision = rules.decide(new AccessFacts(
                    reader,
                    purpose,
                    type,
                    resourceClass.get(),
                    Set.of(),
                    false,
                    own.contains(patient),
                    granted,
                    relationships.involved(patient, organisation),
                    organisation != null && records.dissents(patient, organisation, type)));
            // Another patient's record (a patient's or proxy's token naming a record not theirs) is said too: it
            // depends on the token and the patient named alone, the same whether that record exists or not.
            if (!decision.allowed()) {
                reasons.add(decision);
            } else if (decision.allowed()) {
                // Not flagged (capability b's cohort) is a fact of the patient: it may be said whatever matched.
                heldEntries.wouldWithhold(type, patient, reader).ifPresent(reasons::add);
            }
        }
        return reasons;
    }

    /** The class a type is in by name alone (the FHIRPath and writer-setting classes need an entry). */
    private Optional<String> policyClassOf(String type) {
        if (type.equals("Patient") || isPatientData(type)) {
            return rules.policy().classes().stream()
                    .filter(c -> c.types().contains(type))
                    .map(c -> c.code())
                    .findFirst()
                    .or(() -> Optional.of(ResourceClassifier.UNCLASSIFIED));
        }
        return Optional.empty();
    }

    /**
     * As {@link #patientIdsOf}, for a version as stored (an entry a response would show): kept per version. A Bundle or
     * Binary is placed through the record (an NHS number's Patients, the entry it is the content of), which can
     * change, so it is worked out each time; so is an entry without a version.
     */
    public List<String> patientIdsOfStored(IBaseResource entry) {
        IIdType id = entry.getIdElement();
        if (entry instanceof org.hl7.fhir.r4.model.Bundle
                || entry instanceof org.hl7.fhir.r4.model.Binary
                || id == null
                || !id.hasResourceType()
                || !id.hasIdPart()
                || !id.hasVersionIdPart()) {
            return patientIdsOf(entry);
        }
        // The version and when it was stored: an expunged id made again starts at version 1 with other content.
        java.util.Date stored = entry.getMeta().getLastUpdated();
        String key = id.getValue() + "@" + (stored == null ? "" : stored.getTime());
        return patientsOfVersion.get(key, version -> List.copyOf(patientIdsOf(entry)));
    }

    /** The patients whose record an entry is part of. */
    public List<String> patientIdsOf(IBaseResource entry) {
        String entryType = fhirContext.getResourceType(entry);
        if (entry instanceof org.hl7.fhir.r4.model.Bundle bundle) {
            // A document names its patient inside itself (urn:uuid references): the NHS number says whose record it is.
            Set<String> ids = new LinkedHashSet<>();
            for (org.hl7.fhir.r4.model.Bundle.BundleEntryComponent e : bundle.getEntry()) {
                if (e.getResource() instanceof org.hl7.fhir.r4.model.Patient patient) {
                    patient.getIdentifier().stream()
                            .filter(i -> org.ldrtestbed.identity.contract.NhsNumber.SYSTEM.equals(i.getSystem())
                                    && i.hasValue())
                            .forEach(i -> ids.addAll(records.patientIds(i.getValue())));
                } else if (e.getResource() != null) {
                    ids.addAll(patientIdsOf(e.getResource()));
                }
            }
            return List.copyOf(ids);
        }
        if (entry instanceof org.hl7.fhir.r4.model.Binary binary) {
            IIdType context = binary.getSecurityContext().getReferenceElement();
            if ("Patient".equals(context.getResourceType()) && context.hasIdPart()) {
                return List.of(context.getIdPart());
            }
            return records.stored(context)
                    .filter(r -> !(r instanceof org.hl7.fhir.r4.model.Binary))
                    .map(this::patientIdsOf)
                    .orElse(List.of());
        }
        if ("Patient".equals(entryType)) {
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
