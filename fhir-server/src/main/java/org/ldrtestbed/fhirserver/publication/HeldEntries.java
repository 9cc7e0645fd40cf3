package org.ldrtestbed.fhirserver.publication;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.MetaUtil;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessDecision.Reason;
import org.ldrtestbed.routes.contract.CareSettings;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SharingFlow.Publication;

/**
 * Which entries a reader may see, as far as publishing flows decide it: an entry that an organisation of a publishing
 * flow's source setting wrote, of a type the flow carries, is held by that organisation until a flow that reaches the
 * reader has published it. A flow reaches a reader by audience (professionals of other organisations, or the
 * patient), by the reader's care setting or role ({@code readers}, {@code except-readers}), and, for a flow with a
 * {@code cohort}, only in the record of a patient the source has flagged. The writer's own staff and the testbed's
 * system clients always see it. Plain Java; access control asks it for every resource shown.
 */
public final class HeldEntries {

    private final FhirContext fhirContext;
    private final CareSettings settings;
    private final FlaggedPatients flagged;
    private final List<SharingFlow> publishing;

    public HeldEntries(
            FhirContext fhirContext, FlowCatalogue catalogue, CareSettings settings, FlaggedPatients flagged) {
        this.fhirContext = fhirContext;
        this.settings = settings;
        this.flagged = flagged;
        this.publishing =
                catalogue.flows().stream().filter(f -> f.publishes() != null).toList();
    }

    public boolean visibleTo(IBaseResource entry, ActorIdentity reader) {
        return hold(entry, patientsOf(entry), reader).isEmpty();
    }

    /**
     * Why the publishing flows still keep this entry from this reader ({@code held}, or {@code not-flagged}); empty
     * when they do not.
     *
     * @param patients the ids of the Patients whose record the entry is in
     */
    public Optional<AccessDecision> hold(IBaseResource entry, List<String> patients, ActorIdentity reader) {
        Optional<String> audience = audienceOf(reader);
        if (audience.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> writer = RecordAttribution.organisationOf(MetaUtil.getSource(fhirContext, entry.getMeta()));
        if (writer.isEmpty()
                || (audience.get().equals(Publication.PROFESSIONALS)
                        && writer.get().equals(reader.organisation()))) {
            return Optional.empty();
        }
        String setting = settings.settingOf(writer.get()).orElse(null);
        List<SharingFlow> carrying = carrying(audience.get(), setting, fhirContext.getResourceType(entry));
        if (carrying.isEmpty()) {
            return Optional.empty();
        }
        List<SharingFlow> reaching =
                carrying.stream().filter(f -> reaches(f, reader)).toList();
        if (reaching.isEmpty()) {
            return Optional.of(AccessDecision.deny(
                    Reason.HELD,
                    "kept by the organisation that wrote it: no publishing flow shares it with "
                            + (reader.roles() == null ? "this reader" : String.join("/", reader.roles()))));
        }
        List<SharingFlow> open =
                reaching.stream().filter(f -> inCohort(f, patients)).toList();
        if (open.isEmpty()) {
            return Optional.of(notFlagged(reaching));
        }
        boolean published =
                open.stream().anyMatch(f -> entry.getMeta().getTag(SharingFlow.PUBLISHED_BY, f.code()) != null);
        return published
                ? Optional.empty()
                : Optional.of(AccessDecision.deny(
                        Reason.HELD,
                        "held by the organisation that wrote it until flow "
                                + String.join(
                                        " or ",
                                        open.stream().map(SharingFlow::code).toList())
                                + " publishes it"));
    }

    /**
     * What a search may say the publishing flows withhold of this type in this patient's record from this reader:
     * {@code not-flagged} when every flow that would share such entries with the reader shares only flagged
     * patients' records and this patient is not flagged. Decided from the reader, the patient and the type alone.
     */
    public Optional<AccessDecision> wouldWithhold(String type, String patient, ActorIdentity reader) {
        Optional<String> audience = audienceOf(reader);
        if (audience.isEmpty() || !audience.get().equals(Publication.PROFESSIONALS)) {
            return Optional.empty();
        }
        Set<String> sources = new LinkedHashSet<>();
        publishing.forEach(f -> sources.addAll(f.sourceSettings()));
        for (String source : sources) {
            List<SharingFlow> reaching = carrying(audience.get(), source, type).stream()
                    .filter(f -> reaches(f, reader))
                    .toList();
            if (!reaching.isEmpty() && reaching.stream().noneMatch(f -> inCohort(f, List.of(patient)))) {
                return Optional.of(notFlagged(reaching));
            }
        }
        return Optional.empty();
    }

    private List<SharingFlow> carrying(String audience, String sourceSetting, String type) {
        return publishing.stream()
                .filter(f -> f.publishes().audience().equals(audience))
                .filter(f -> f.sendsFrom(sourceSetting))
                .filter(f -> f.trigger().resourceTypes().contains(type))
                .toList();
    }

    private boolean reaches(SharingFlow flow, ActorIdentity reader) {
        if (!flow.publishes().audience().equals(Publication.PROFESSIONALS)) {
            return true;
        }
        String setting = reader.organisation() == null
                ? null
                : settings.settingOf(reader.organisation()).orElse(null);
        return flow.publishes().reaches(setting, reader.roles());
    }

    private boolean inCohort(SharingFlow flow, List<String> patients) {
        Publication.Cohort cohort = flow.publishes().cohort();
        return cohort == null || patients.stream().anyMatch(p -> flagged.flagged(p, cohort, flow.sourceSetting()));
    }

    private static AccessDecision notFlagged(List<SharingFlow> reaching) {
        List<String> why = new ArrayList<>();
        for (SharingFlow flow : reaching) {
            why.add(flow.publishes().cohort().reason() + " (flow " + flow.code() + ")");
        }
        return AccessDecision.deny(Reason.NOT_FLAGGED, String.join("; ", why));
    }

    /** The Patients an entry of a published type names as its subject or patient. */
    private List<String> patientsOf(IBaseResource entry) {
        List<String> ids = new ArrayList<>();
        for (String element : List.of("subject", "patient")) {
            if (fhirContext.getResourceDefinition(entry).getChildByName(element) == null) {
                continue;
            }
            for (IBaseReference reference : fhirContext.newTerser().getValues(entry, element, IBaseReference.class)) {
                IIdType target = reference.getReferenceElement();
                if ("Patient".equals(target.getResourceType()) && target.hasIdPart()) {
                    ids.add(target.getIdPart());
                }
            }
        }
        return ids;
    }

    /** Patients read as the patient audience, professionals as professionals; systems are not held back. */
    private static Optional<String> audienceOf(ActorIdentity reader) {
        if (reader == null) {
            return Optional.empty();
        }
        if (reader.patient() != null || reader.proxyFor() != null) {
            return Optional.of(Publication.PATIENT);
        }
        return reader.practitioner() != null ? Optional.of(Publication.PROFESSIONALS) : Optional.empty();
    }
}
