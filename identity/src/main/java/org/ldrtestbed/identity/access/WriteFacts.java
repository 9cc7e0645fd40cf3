package org.ldrtestbed.identity.access;

import java.util.Set;
import org.ldrtestbed.identity.ActorIdentity;

/**
 * What the server knows about one write when it decides it: plain facts, so the write rules can be tested without a
 * server.
 *
 * @param writer who is writing
 * @param kind create, or a change (update, patch, a label added or removed) of an entry already stored
 * @param resourceType the entry's FHIR type
 * @param resourceClass the entry's class in the policy (of the new version); null when it is not patient data
 * @param previousWrittenByWriterOrganisation for a change: whether the writer's organisation wrote the stored version
 * @param ownRecord for a patient or proxy: whether the entry (every version of it) belongs to their patient
 * @param proxyGrantedTypes for a proxy: the resource types the patient granted them
 * @param movesRecord for a change: whether the new version belongs to other patients than the stored one
 * @param ownerWorkflowChange for a change: whether the stored version is addressed to the writer's organisation
 *     (e.g. its {@code Task.owner}) and the change touches only the elements the policy lets an owner change
 */
public record WriteFacts(
        ActorIdentity writer,
        Kind kind,
        String resourceType,
        String resourceClass,
        boolean previousWrittenByWriterOrganisation,
        boolean ownRecord,
        Set<String> proxyGrantedTypes,
        boolean movesRecord,
        boolean ownerWorkflowChange) {

    /** What a write does to the entry. */
    public enum Kind {
        CREATE,
        CHANGE
    }
}
