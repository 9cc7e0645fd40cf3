package org.ldrtestbed.fhirserver.publication;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.MetaUtil;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.routes.catalogue.CareSettings;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.catalogue.SharingFlow.Publication;

/**
 * Which entries a reader may see, as far as publishing flows decide it: an entry that an organisation of a publishing
 * flow's source setting wrote, of a type the flow carries, is held by that organisation until the flow has published
 * it to the reader's audience (professionals of other organisations, or the patient). The writer's own staff and
 * the testbed's system clients always see it. Plain Java; the interceptor asks it for every resource shown.
 */
public final class HeldEntries {

    private final FhirContext fhirContext;
    private final CareSettings settings;
    private final List<SharingFlow> publishing;

    public HeldEntries(FhirContext fhirContext, FlowCatalogue catalogue, CareSettings settings) {
        this.fhirContext = fhirContext;
        this.settings = settings;
        this.publishing =
                catalogue.flows().stream().filter(f -> f.publishes() != null).toList();
    }

    public boolean visibleTo(IBaseResource entry, ActorIdentity reader) {
        return holdingFlows(entry, reader).isEmpty();
    }

    /** The publishing flows that still hold this entry back from this reader; empty when they may see it. */
    public List<String> holdingFlows(IBaseResource entry, ActorIdentity reader) {
        Optional<String> audience = audienceOf(reader);
        if (audience.isEmpty()) {
            return List.of();
        }
        Optional<String> writer = RecordAttribution.organisationOf(MetaUtil.getSource(fhirContext, entry.getMeta()));
        if (writer.isEmpty()
                || (audience.get().equals(Publication.PROFESSIONALS)
                        && writer.get().equals(reader.organisation()))) {
            return List.of();
        }
        String setting = settings.settingOf(writer.get()).orElse(null);
        String type = fhirContext.getResourceType(entry);
        List<SharingFlow> holding = publishing.stream()
                .filter(f -> f.publishes().audience().equals(audience.get()))
                .filter(f -> f.sendsFrom(setting))
                .filter(f -> f.trigger().resourceTypes().contains(type))
                .toList();
        boolean published =
                holding.stream().anyMatch(f -> entry.getMeta().getTag(SharingFlow.PUBLISHED_BY, f.code()) != null);
        return published ? List.of() : holding.stream().map(SharingFlow::code).toList();
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
