package org.ldrtestbed.identity.access;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ldrtestbed.identity.ActorIdentity;

/**
 * What the server knows about a request before any entry is read or written: plain facts, so the request rules can
 * be tested without a server.
 *
 * @param actor who asks
 * @param interaction the interaction as HAPI codes it ({@code read}, {@code search-type}, {@code delete}...), or
 *     {@link #OPERATION} for any FHIR operation, {@code $meta} and {@code $validate} included
 * @param operationName for an operation, its name without {@code $}; otherwise null
 * @param resourceType the type the request is about, or null at server level
 * @param instance whether it names one entry
 * @param patientData whether its type is patient data, or it names no type (so it is over every type)
 * @param parameters the request's parameters and their values
 * @param chainTargets for each chained parameter ({@code link.element}), the types its first link can reach; empty
 *     when the server cannot tell
 */
public record RequestFacts(
        ActorIdentity actor,
        String interaction,
        String operationName,
        String resourceType,
        boolean instance,
        boolean patientData,
        Map<String, List<String>> parameters,
        Map<String, Set<String>> chainTargets) {

    /** The interaction of every FHIR operation. */
    public static final String OPERATION = "operation";

    public RequestFacts {
        parameters = Map.copyOf(parameters);
        chainTargets = Map.copyOf(chainTargets);
    }
}
