package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.scenarios.journey.Step.Patch;
import org.ldrtestbed.scenarios.journey.Step.Update;

/**
 * Runs {@code update} (PUT, the resource in full) and {@code patch} (JSON Patch) actions on an entry by its label,
 * each guarded by If-Match on the version this run last wrote or read of it: the run changes what it last saw, and
 * a change someone else made in between is a conflict, never silently overwritten.
 */
final class ChangeExecutor {

    private final FhirContext fhirContext;
    private final Templates templates;
    private final Bindings bindings;

    ChangeExecutor(FhirContext fhirContext, Templates templates, Bindings bindings) {
        this.fhirContext = fhirContext;
        this.templates = templates;
        this.bindings = bindings;
    }

    String update(Update update, ActorSession session, Templates.Scope scope) {
        IdType id = new IdType(bindings.labelled(update.label()));
        Resource resource = (Resource) fhirContext
                .newJsonParser()
                .parseResource(templates.render(update.resource(), scope).toString());
        if (!resource.fhirType().equals(id.getResourceType())) {
            throw new IllegalArgumentException("label '" + update.label() + "' is " + id.getValue()
                    + ": an update of it must be a " + id.getResourceType() + ", not a " + resource.fhirType());
        }
        resource.setId(id.getValue());
        return guarded(
                "update",
                "updated",
                update.label(),
                id,
                session,
                ifMatch -> session.client()
                        .update()
                        .resource(resource)
                        .withId(id)
                        .withAdditionalHeader("If-Match", ifMatch)
                        .execute());
    }

    String patch(Patch patch, ActorSession session, Templates.Scope scope) {
        IdType id = new IdType(bindings.labelled(patch.label()));
        String body = templates.render(patch.operations(), scope).toString();
        return guarded(
                "patch",
                "patched",
                patch.label(),
                id,
                session,
                ifMatch -> session.client()
                        .patch()
                        .withBody(body)
                        .withId(id)
                        .withAdditionalHeader("If-Match", ifMatch)
                        .execute());
    }

    /**
     * Sends a change with If-Match on the version this run expects (given its header value), and records the new
     * version; a conflict names the label and both versions.
     */
    private String guarded(
            String what,
            String verb,
            String label,
            IdType id,
            ActorSession session,
            java.util.function.Function<String, MethodOutcome> send) {
        String expected = expectedVersion(label, id);
        MethodOutcome outcome;
        try {
            outcome = send.apply("W/\"" + expected + "\"");
        } catch (ResourceVersionConflictException | PreconditionFailedException e) {
            throw conflict(what, label, id, expected, session, e);
        }
        return changed(verb, id, outcome);
    }

    private String expectedVersion(String label, IdType id) {
        String version = bindings.version(id.getValue());
        if (version == null) {
            throw new IllegalStateException("no version of '" + label + "' (" + id.getValue()
                    + ") is known to this run: it changes only what it wrote or read");
        }
        return version;
    }

    private String changed(String verb, IdType id, MethodOutcome outcome) {
        String version = versionOf(outcome);
        bindings.versionSeen(id.getValue(), version);
        return verb + " " + id.getValue() + (version == null ? "" : ", now version " + version);
    }

    /** The new version: from the Location, else the entry returned, else the ETag. */
    private static String versionOf(MethodOutcome outcome) {
        if (outcome.getId() != null && outcome.getId().hasVersionIdPart()) {
            return outcome.getId().getVersionIdPart();
        }
        IBaseResource body = outcome.getResource();
        if (body != null && body.getMeta().getVersionId() != null) {
            return body.getMeta().getVersionId();
        }
        Map<String, List<String>> headers = outcome.getResponseHeaders();
        if (headers != null) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase("etag") && !h.getValue().isEmpty()) {
                    return h.getValue().getFirst().replaceAll("[^0-9]", "");
                }
            }
        }
        return null;
    }

    /** A version conflict, naming the label and both versions (the server's read afresh, when the actor may). */
    private static VersionConflict conflict(
            String what,
            String label,
            IdType id,
            String expected,
            ActorSession session,
            BaseServerResponseException e) {
        String current;
        try {
            current = "the server holds version "
                    + session.client()
                            .read()
                            .resource(id.getResourceType())
                            .withId(id.getIdPart())
                            .execute()
                            .getMeta()
                            .getVersionId();
        } catch (BaseServerResponseException unreadable) {
            current = "the server's current version could not be read (HTTP " + unreadable.getStatusCode() + ")";
        }
        return new VersionConflict("version conflict on the " + what + " of '" + label + "' (" + id.getValue()
                + "): this run last wrote or read version " + expected + ", " + current
                + " (another writer changed it since); the server said: " + e.getMessage());
    }

    /** Another writer changed the entry since this run last wrote or read it. */
    static final class VersionConflict extends RuntimeException {
        VersionConflict(String message) {
            super(message);
        }
    }
}
