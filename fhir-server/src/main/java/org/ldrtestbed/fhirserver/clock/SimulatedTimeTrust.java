package org.ldrtestbed.fhirserver.clock;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

/**
 * Whose word the server takes for a journey run's simulated time: only the testbed's own journey client's (the realm's
 * {@code testbed-scenarios}, the token's {@code azp}). A supplier's system, or anyone else, runs on the server's
 * clock whatever it sends, so no outside system can back-date an audit event or a flow. Plain Java.
 */
public final class SimulatedTimeTrust {

    /** The realm's journey client: the engine's tokens are issued to it. */
    public static final String JOURNEY_CLIENT = "testbed-scenarios";

    private final Set<String> trustedClients;

    public SimulatedTimeTrust(Set<String> trustedClients) {
        this.trustedClients = Set.copyOf(trustedClients);
    }

    /** Trusts only the journey client. */
    public static SimulatedTimeTrust journeyClientOnly() {
        return new SimulatedTimeTrust(Set.of(JOURNEY_CLIENT));
    }

    /**
     * The simulated instant a request says it happens at, when it is to be believed.
     *
     * @param clientId the validated token's {@code azp}, null without a token
     * @param header the {@code X-Ldr-Simulated-Time} value, an ISO-8601 instant
     * @return empty for an untrusted client, no header, or a header that is not an instant
     */
    public Optional<Instant> simulatedInstant(String clientId, String header) {
        if (clientId == null || !trustedClients.contains(clientId) || header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(header.trim()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
