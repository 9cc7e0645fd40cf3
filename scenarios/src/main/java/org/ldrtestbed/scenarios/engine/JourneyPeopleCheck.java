package org.ldrtestbed.scenarios.engine;

import java.util.Optional;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.Roles;
import org.ldrtestbed.scenarios.journey.Journey;

/**
 * Whether a journey's own people can be served where it is about to run, decided before anything boots: the server
 * decides again (409) when they are registered, but a mistake should not cost a boot.
 */
public final class JourneyPeopleCheck {

    private JourneyPeopleCheck() {}

    /**
     * @param realm the realm the run logs its actors in from
     * @param externalIssuer the identity provider named by {@code --issuer}, or null for the testbed's own
     * @return one line {@code file:line: people: problem}, or empty when the people can be served (or there are none)
     */
    public static Optional<String> problem(Journey journey, RealmDefinition realm, java.net.URI externalIssuer) {
        if (journey.people().isEmpty()) {
            return Optional.empty();
        }
        if (externalIssuer != null) {
            return located(
                    journey,
                    "the journey declares its own people, but --issuer " + externalIssuer + " is an external identity"
                            + " provider that cannot serve them: put them in its realm, or run without --issuer");
        }
        boolean admin = realm.users().stream()
                .anyMatch(u -> u.isEnabled() && u.realmRoles().contains(Roles.ADMIN));
        if (!admin) {
            return located(
                    journey,
                    "the journey declares its own people, but realm '" + realm.realm() + "' has no " + Roles.ADMIN
                            + " user to register them with the server");
        }
        return journey.people().problems(realm).stream().findFirst().flatMap(p -> located(journey, p));
    }

    private static Optional<String> located(Journey journey, String message) {
        return Optional.of(journey.source().error("/people", message).getMessage());
    }
}
