package org.ldrtestbed.scenarios.engine;

/**
 * Told where a replay spends its time, as the engine spends it: each FHIR call of an actor, each token request, each
 * wait for the run's flows and each call to the testbed's admin API. A benchmark listens ({@code testbed
 * bench-replay}); a normal run tells no one. The kinds do not overlap, so what they leave of a run's time is the
 * engine's own work (templates, parsing, FHIRPath, MLLP).
 */
@FunctionalInterface
public interface ReplayTimer {

    ReplayTimer NONE = (kind, nanos) -> {};

    /** What the time went on. */
    enum Kind {
        /** An actor's FHIR request, from sending it to the response's headers (its body is parsed after). */
        FHIR_CALL,
        /** A request to the identity provider's token endpoint (a cached token costs none). */
        TOKEN_REQUEST,
        /** Blocked until the run's flow messages move or settle, or an assertion's patience ends. */
        WAITING,
        /** A call to the testbed's admin API that waits for nothing: the run's switches, people, message log. */
        ADMIN_CALL
    }

    void spent(Kind kind, long nanos);
}
