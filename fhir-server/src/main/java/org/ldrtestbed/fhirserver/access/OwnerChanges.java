package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Reference;

/**
 * The two sides of an entry the policy names owner changes for ({@code writes.owner-changes}, e.g. a Task): the
 * organisation that asked for it ({@code requester}) records it and may change it; the organisation it is addressed
 * to ({@code owner}) only moves it through its workflow, changing nothing but the elements the policy names, however
 * many versions it has written. Plain, so it is tested without a server.
 */
final class OwnerChanges {

    /** What every version has of its own: not what the change is about. */
    private static final List<String> VERSION_ELEMENTS = List.of("id", "meta", "text");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FhirContext fhirContext;
    private final Map<String, List<String>> changeable;

    OwnerChanges(FhirContext fhirContext, Map<String, List<String>> changeable) {
        this.fhirContext = fhirContext;
        this.changeable = Map.copyOf(changeable);
    }

    /** Whether the policy names owner changes for this entry's type. */
    boolean governs(IBaseResource entry) {
        return entry != null && changeable.containsKey(fhirContext.getResourceType(entry));
    }

    /** Whether the entry is addressed to the organisation ({@code owner}). */
    boolean addressedTo(IBaseResource entry, String organisation) {
        return names(entry, "owner", organisation);
    }

    /** Whether the organisation asked for it ({@code requester}): the side that recorded the request. */
    boolean requestedBy(IBaseResource entry, String organisation) {
        return names(entry, "requester", organisation);
    }

    /** Whether the new version differs from the stored one only in what the policy lets an owner change. */
    boolean workflowOnly(IBaseResource previous, IBaseResource entry) {
        String type = fhirContext.getResourceType(previous);
        List<String> elements = changeable.get(type);
        return elements != null
                && entry != null
                && type.equals(fhirContext.getResourceType(entry))
                && Objects.equals(without(previous, elements), without(entry, elements));
    }

    private boolean names(IBaseResource entry, String element, String organisation) {
        if (organisation == null || !governs(entry)) {
            return false;
        }
        return fhirContext.newTerser().getValues(entry, element, Reference.class).stream()
                .map(CareRelationships::organisationOf)
                .anyMatch(org -> org.map(organisation::equals).orElse(false));
    }

    private ObjectNode without(IBaseResource resource, List<String> elements) {
        try {
            ObjectNode json =
                    (ObjectNode) JSON.readTree(fhirContext.newJsonParser().encodeResourceToString(resource));
            VERSION_ELEMENTS.forEach(json::remove);
            elements.forEach(json::remove);
            return json;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot compare versions of " + resource.getIdElement(), e);
        }
    }
}
