package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.scenarios.journey.Step.LabelledResource;

/**
 * The entries of one write or document: each gets a {@code urn:uuid} full URL, and its label refers to that URL
 * inside the same Bundle (the server replaces it with the real id).
 */
final class LocalEntries {

    private final List<String> fullUrls = new ArrayList<>();
    private final Templates.Scope scope;

    LocalEntries(List<LabelledResource> resources, Templates.Scope stepScope) {
        Map<String, String> labels = new HashMap<>();
        for (LabelledResource r : resources) {
            String fullUrl = newFullUrl();
            fullUrls.add(fullUrl);
            if (r.label() != null) {
                labels.put(r.label(), fullUrl);
            }
        }
        this.scope = new Templates.Scope(stepScope.now(), stepScope.actor(), labels);
    }

    static String newFullUrl() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    String fullUrl(int index) {
        return fullUrls.get(index);
    }

    /** Fills the templates of a resource, within these entries, and parses it. */
    Resource parse(FhirContext fhirContext, Templates templates, JsonNode resource) {
        return (Resource) fhirContext
                .newJsonParser()
                .parseResource(templates.render(resource, scope).toString());
    }
}
