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
     * The earliest and latest simulated instants believed: a journey's clock is a care story's, and an instant beyond
     * these could not be stored or stamped (a {@code Date}, an audit timestamp, an HL7v2 time) without failing after
     * the write it belongs to has committed.
     */
    public static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");

    public static final Instant LATEST = Instant.parse("2200-01-01T00:00:00Z");

    /**
     * The simulated instant a request says it happens at, when it is to be believed.
     *
     * @param clientId the validated token's {@code azp}, null without a token
     * @param header the {@code X-Ldr-Simulated-Time} value, an ISO-8601 instant
     * @return empty for an untrusted client or no header
     * @throws IllegalArgumentException when the journey client sends a value that is no instant, or one outside
     *     {@link #EARLIEST}..{@link #LATEST}: the request is refused (400) before it does anything
     */
    public Optional<Instant> simulatedInstant(String clientId, String header) {
        if (clientId == null || !trustedClients.contains(clientId) || header == null || header.isBlank()) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = Instant.parse(header.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "X-Ldr-Simulated-Time '" + header + "' is not an ISO-8601 instant (e.g. 2026-01-20T10:00:00Z)");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw new IllegalArgumentException(
                    "X-Ldr-Simulated-Time " + instant + " is outside " + EARLIEST + " .. " + LATEST);
        }
        return Optional.of(instant);
    }
}
