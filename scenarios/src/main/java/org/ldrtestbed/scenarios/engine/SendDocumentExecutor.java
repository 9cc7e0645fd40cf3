package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.scenarios.journey.Step.LabelledResource;
import org.ldrtestbed.scenarios.journey.Step.SendDocument;

/**
 * Runs a {@code send-document} action: builds a FHIR document (Composition first, every entry a urn:uuid) with a
 * fresh identifier and the simulated time, and posts it as the actor's system would send it.
 */
final class SendDocumentExecutor {

    private final FhirContext fhirContext;
    private final Templates templates;
    private final Bindings bindings;

    SendDocumentExecutor(FhirContext fhirContext, Templates templates, Bindings bindings) {
        this.fhirContext = fhirContext;
        this.templates = templates;
        this.bindings = bindings;
    }

    String execute(SendDocument send, ActorSession session, Templates.Scope stepScope) {
        Map<String, String> local = new HashMap<>();
        Map<LabelledResource, String> fullUrls = new LinkedHashMap<>();
        String compositionUrl = "urn:uuid:" + UUID.randomUUID();
        for (LabelledResource r : send.resources()) {
            String fullUrl = "urn:uuid:" + UUID.randomUUID();
            fullUrls.put(r, fullUrl);
            if (r.label() != null) {
                local.put(r.label(), fullUrl);
            }
        }
        Templates.Scope scope = new Templates.Scope(stepScope.now(), stepScope.actor(), local);
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.setIdentifier(
                new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        document.setTimestamp(java.util.Date.from(stepScope.now()));
        document.addEntry().setFullUrl(compositionUrl).setResource(parse(send.composition(), scope));
        fullUrls.forEach((r, url) -> document.addEntry().setFullUrl(url).setResource(parse(r.resource(), scope)));
        String id = session.client()
                .create()
                .resource(document)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
        if (send.label() != null) {
            bindings.bind(send.label(), id);
        }
        return "sent document " + document.getIdentifier().getValue() + " (stored as " + id + ") for flow "
                + send.flow();
    }

    private Resource parse(com.fasterxml.jackson.databind.JsonNode node, Templates.Scope scope) {
        return (Resource) fhirContext
                .newJsonParser()
                .parseResource(templates.render(node, scope).toString());
    }
}
