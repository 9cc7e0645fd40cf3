package org.ldrtestbed.scenarios.engine;

import java.util.List;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.scenarios.journey.Step.Actor;

/** Finds the realm user who plays a journey actor: the holder of the role at the organisation, or the named user. */
public final class ActorDirectory {

    private final RealmDefinition realm;

    public ActorDirectory(RealmDefinition realm) {
        this.realm = realm;
    }

    public RealmUser resolve(Actor actor) {
        List<RealmUser> matches = realm.users().stream()
                .filter(u -> u.realmRoles().contains(actor.role()))
                .filter(u -> actor.organisation() == null
                        || actor.organisation()
                                .equals(u.attribute("organisation").orElse(null)))
                .filter(u -> actor.user() == null || actor.user().equals(u.username()))
                .toList();
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no user of realm '" + realm.realm() + "' is " + actor.display());
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("several realm users are " + actor.display() + " ("
                    + matches.stream().map(RealmUser::username).toList() + "): name one with actor.user");
        }
        return matches.getFirst();
    }

    /** The user's password as the realm file holds it (synthetic users only). */
    public static String passwordOf(RealmUser user) {
        return user.credentials().stream()
                .filter(c -> "password".equals(c.type()))
                .map(RealmDefinition.Credential::value)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("realm user " + user.username() + " has no password"));
    }
}
