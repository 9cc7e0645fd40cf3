package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
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
    private final List<Templates.Scope> entryScopes = new ArrayList<>();
    private final Templates.Scope scope;

    LocalEntries(List<LabelledResource> resources, Templates.Scope stepScope) {
        this(resources, stepScope, null);
    }

    /** @param journeyStart what the entries' {@code recorded-at} count from (null: the step's time for all) */
    LocalEntries(List<LabelledResource> resources, Templates.Scope stepScope, Instant journeyStart) {
        Map<String, String> labels = new HashMap<>();
        for (LabelledResource r : resources) {
            String fullUrl = newFullUrl();
            fullUrls.add(fullUrl);
            if (r.label() != null) {
                labels.put(r.label(), fullUrl);
            }
        }
        this.scope = new Templates.Scope(stepScope.now(), stepScope.actor(), labels);
        for (LabelledResource r : resources) {
            entryScopes.add(
                    r.recordedAt() == null || journeyStart == null
                            ? scope
                            : new Templates.Scope(journeyStart.plus(r.recordedAt()), stepScope.actor(), labels));
        }
    }

    /**
     * When the entries of an action were recorded, for timeliness: the earliest {@code recorded-at} (the strictest
     * reading when they differ), or the step's time when none has one.
     */
    static Instant recordedFrom(List<LabelledResource> resources, Instant stepTime, Instant journeyStart) {
        return resources.stream()
                .map(LabelledResource::recordedAt)
                .filter(d -> d != null && journeyStart != null)
                .map(journeyStart::plus)
                .min(Instant::compareTo)
                .orElse(stepTime);
    }

    /** Fills the templates of entry {@code index}, at its own {{now}}, and parses it. */
    Resource parse(FhirContext fhirContext, Templates templates, int index, JsonNode resource) {
        return (Resource) fhirContext
                .newJsonParser()
                .parseResource(
                        templates.render(resource, entryScopes.get(index)).toString());
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
