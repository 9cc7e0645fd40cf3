package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.journey.Step.LabelledResource;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;

/**
 * A {@code write} by an actor of an organisation whose system under test the testbed pulls from: the entries of the
 * pulled flow's trigger types (the catalogue's) are the system's to hold, so the engine writes only the others and
 * hands those to the supplier mode, which prompts, pulls and files them as the actor.
 */
final class PulledWrites {

    private final FhirContext fhirContext;
    private final Templates templates;
    private final Bindings bindings;
    private final WriteExecutor writes;
    private final FlowCatalogue catalogue;
    private final SupplierMode mode;

    PulledWrites(
            FhirContext fhirContext,
            Templates templates,
            Bindings bindings,
            WriteExecutor writes,
            FlowCatalogue catalogue,
            SupplierMode mode) {
        this.fhirContext = fhirContext;
        this.templates = templates;
        this.bindings = bindings;
        this.writes = writes;
        this.catalogue = catalogue;
        this.mode = mode;
    }

    /**
     * The write's result, or null when no system under test holds any of its entries (the engine writes it all).
     *
     * @param admin the admin API the supplier mode publishes its prompt with (null when the realm has none)
     */
    ActionResult execute(
            String journey,
            Step step,
            Step.Write write,
            ActorSession session,
            Templates.Scope scope,
            Instant at,
            Supplier<AdminApi> admin)
            throws InterruptedException {
        String organisation = session.user().attribute("organisation").orElse(null);
        if (organisation == null) {
            return null;
        }
        for (SystemUnderTest system : mode.pulledFrom(organisation)) {
            Set<String> types = catalogue
                    .flow(system.flow())
                    .map(f -> Set.copyOf(f.trigger().resourceTypes()))
                    .orElse(Set.of());
            List<LabelledResource> held = new ArrayList<>();
            List<LabelledResource> rest = new ArrayList<>();
            for (LabelledResource r : write.resources()) {
                (types.contains(r.resource().path("resourceType").asText()) ? held : rest).add(r);
            }
            if (held.isEmpty()) {
                continue;
            }
            String wrote = rest.isEmpty() ? null : writes.execute(new Step.Write(write.title(), rest), session, scope);
            LocalEntries entries = new LocalEntries(held, scope, bindings.journeyStart());
            List<SupplierMode.Expected> expected = new ArrayList<>();
            for (int i = 0; i < held.size(); i++) {
                expected.add(new SupplierMode.Expected(
                        held.get(i).label(),
                        entries.fullUrl(i),
                        entries.parse(fhirContext, templates, i, held.get(i).resource())));
            }
            ActionResult pulled = mode.awaitPulled(new SupplierMode.PullTurn(
                    bindings.runId(),
                    journey,
                    bindings.nhsNumber(),
                    bindings.patientReference(),
                    step,
                    write,
                    expected,
                    at,
                    system,
                    admin.get(),
                    (transaction, labels) -> file(session, transaction, labels)));
            return wrote == null
                    ? pulled
                    : new ActionResult(pulled.title(), pulled.verdict(), wrote + "; " + pulled.detail());
        }
        return null;
    }

    /** As {@link WriteExecutor}: one transaction as the actor, then the labels bound to the record's ids. */
    private List<String> file(ActorSession session, Bundle transaction, List<String> labels) {
        Bundle response = session.client().transaction().withBundle(transaction).execute();
        List<String> references = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            IdType location =
                    new IdType(response.getEntry().get(i).getResponse().getLocation());
            String reference = location.toUnqualifiedVersionless().getValue();
            bindings.versionSeen(reference, location.getVersionIdPart());
            references.add(reference);
            if (labels.get(i) != null) {
                bindings.bind(labels.get(i), reference);
            }
        }
        return references;
    }
}
