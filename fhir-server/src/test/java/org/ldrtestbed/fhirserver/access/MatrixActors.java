package org.ldrtestbed.fhirserver.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.TokenClient;

/**
 * The realm's users and system clients as the matrices act as them: who they are (as their token says) and a way to
 * get their token. Shared by {@link AccessMatrix} and {@link AttackMatrix}.
 */
final class MatrixActors {

    static final String PUBLIC_CLIENT = "testbed-scenarios";
    static final String PASSWORD = "synthetic-password";

    /** A realm user or system with a way to get its token. */
    record Actor(String label, ActorIdentity identity, Supplier<String> token) {}

    private final RealmDefinition realm;
    private final TokenClient tokens;

    MatrixActors(RealmDefinition realm, TokenClient tokens) {
        this.realm = realm;
        this.tokens = tokens;
    }

    RealmDefinition realm() {
        return realm;
    }

    /** The first enabled realm user (not a service account) with the role and the synthetic password. */
    Optional<Actor> firstUserWithRole(String role) {
        return realm.users().stream()
                .filter(u -> u.isEnabled() && u.serviceAccountClientId() == null && u.hasPassword(PASSWORD))
                .filter(u -> u.realmRoles().contains(role))
                .findFirst()
                .map(this::userActor);
    }

    /** The realm user with the role whose attribute has the value (e.g. the patient's own token, by NHS number). */
    Actor userWith(String role, String attribute, String value) {
        return realm.users().stream()
                .filter(u -> u.realmRoles().contains(role)
                        && u.attribute(attribute).map(value::equals).orElse(false))
                .findFirst()
                .map(this::userActor)
                .orElseThrow(() -> new IllegalStateException("No realm user with role " + role + " for " + value));
    }

    /** The service accounts of the realm's confidential clients. */
    List<RealmUser> serviceAccounts() {
        return realm.users().stream()
                .filter(u -> u.serviceAccountClientId() != null)
                .toList();
    }

    Actor userActor(RealmUser user) {
        return new Actor(
                user.username() + " (" + String.join("/", user.realmRoles()) + ")",
                identity(user),
                () -> tokens.forUser(PUBLIC_CLIENT, user, PASSWORD));
    }

    Actor systemActor(String clientId) {
        RealmUser account = realm.users().stream()
                .filter(u -> clientId.equals(u.serviceAccountClientId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No service account for " + clientId));
        String secret = realm.client(clientId).orElseThrow().secret();
        return new Actor(
                clientId + " (" + String.join("/", account.realmRoles()) + ")",
                identity(account),
                () -> tokens.forClient(clientId, secret));
    }

    /** A writer of one of the care settings (system or user), of no reader's organisation. */
    Actor settingWriter(
            List<String> settings, List<String> readerOrganisations, Function<String, Optional<String>> settingOf) {
        List<RealmUser> candidates = new ArrayList<>(serviceAccounts());
        realm.users().stream()
                .filter(u -> u.serviceAccountClientId() == null && u.hasPassword(PASSWORD))
                .forEach(candidates::add);
        return candidates.stream()
                .filter(RealmUser::isEnabled)
                .filter(u -> u.attribute("organisation")
                        .filter(o -> !readerOrganisations.contains(o))
                        .flatMap(settingOf)
                        .map(settings::contains)
                        .orElse(false))
                .findFirst()
                .map(u -> u.serviceAccountClientId() != null ? systemActor(u.serviceAccountClientId()) : userActor(u))
                .orElseThrow(() -> new IllegalStateException(
                        "No realm actor of setting " + settings + " outside the readers' organisations"));
    }

    static ActorIdentity identity(RealmUser user) {
        return new ActorIdentity(
                user.username(),
                user.realmRoles(),
                user.attribute("organisation").orElse(null),
                user.attribute("practitioner").orElse(null),
                user.attribute("nrbac_role").orElse(null),
                user.attribute("patient").orElse(null),
                user.attribute("proxy_for").orElse(null));
    }
}
