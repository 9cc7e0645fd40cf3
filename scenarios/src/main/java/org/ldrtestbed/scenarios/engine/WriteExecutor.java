package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.contract.Systems;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.scenarios.journey.Step.Write;

/** Runs a {@code write} action: the resources as one transaction, then binds their labels to the server's ids. */
final class WriteExecutor {

    private final FhirContext fhirContext;
    private final Templates templates;
    private final Bindings bindings;

    WriteExecutor(FhirContext fhirContext, Templates templates, Bindings bindings) {
        this.fhirContext = fhirContext;
        this.templates = templates;
        this.bindings = bindings;
    }

    /**
     * A rerun's patient (a fresh NHS number) says whose NHS number it stands in for, so the realm's patient and proxy
     * tokens, which name the journey's own number, reach this run's record.
     */
    private void standIn(Resource resource) {
        if (bindings.standsInFor() != null
                && resource instanceof Patient patient
                && patient.getIdentifier().stream()
                        .anyMatch(i -> NhsNumber.SYSTEM.equals(i.getSystem())
                                && bindings.nhsNumber().equals(i.getValue()))) {
            patient.addIdentifier().setSystem(Systems.STANDS_IN_FOR).setValue(bindings.standsInFor());
        }
    }

    /** Returns a one-line summary of what was written. */
    String execute(Write write, ActorSession session, Templates.Scope stepScope) {
        LocalEntries entries = new LocalEntries(write.resources(), stepScope, bindings.journeyStart());
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < write.resources().size(); i++) {
            Resource resource = entries.parse(
                    fhirContext, templates, i, write.resources().get(i).resource());
            standIn(resource);
            transaction
                    .addEntry()
                    .setFullUrl(entries.fullUrl(i))
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl(resource.fhirType());
        }
        Bundle response = session.client().transaction().withBundle(transaction).execute();
        List<String> written = new ArrayList<>();
        for (int i = 0; i < write.resources().size(); i++) {
            String location = response.getEntry().get(i).getResponse().getLocation();
            String reference = new IdType(location).toUnqualifiedVersionless().getValue();
            bindings.versionSeen(reference, new IdType(location).getVersionIdPart());
            written.add(reference);
            String label = write.resources().get(i).label();
            if (label != null) {
                bindings.bind(label, reference);
            }
        }
        return "wrote " + String.join(", ", written);
    }
}
