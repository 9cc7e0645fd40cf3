package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who can act in a journey: the realm's users, and the journey's own {@code people} (served by the identity provider
 * for that run). An actor is resolved as the runner resolves it: the one person holding the role, at the organisation
 * when one is named, with the user name when one is given.
 */
final class Actors {

    /** Roles people get from the part of {@code people} they are listed in, when they name none themselves. */
    private static final Map<String, String> ROLE_OF_SECTION = Map.of("patient", "patient", "proxies", "proxy");

    /** A problem with an actor: the field of the actor it is in (empty: the actor as a whole), and what. */
    record Issue(String field, String message) {}

    /** Someone who can log in: name, roles, and the directory entries their tokens carry. */
    record Person(String username, Set<String> roles, String organisation, String practitioner) {}

    private final References references;
    private final List<Person> people = new ArrayList<>();

    Actors(References references, JsonNode root) {
        this.references = references;
        references
                .users()
                .forEach(u -> people.add(new Person(
                        u.username(),
                        Set.copyOf(u.realmRoles()),
                        u.attribute("organisation").orElse(null),
                        u.attribute("practitioner").orElse(null))));
        root.path("people").fields().forEachRemaining(section -> {
            JsonNode entries = section.getValue();
            for (JsonNode entry : entries.isArray() ? entries : List.of(entries)) {
                // A name the realm already has is the realm's user: the people check refuses the clash.
                if (entry.path("user").isTextual()
                        && references.realm().user(entry.get("user").asText()).isEmpty()) {
                    String role = entry.path("role").asText(ROLE_OF_SECTION.get(section.getKey()));
                    people.add(new Person(
                            entry.get("user").asText(),
                            role == null ? Set.of() : Set.of(role),
                            entry.path("organisation").asText(null),
                            entry.path("practitioner").asText(null)));
                }
            }
        });
    }

    Set<String> roles() {
        Set<String> roles = new TreeSet<>(references.roles());
        people.forEach(p -> roles.addAll(p.roles()));
        return roles;
    }

    Set<String> usernames() {
        Set<String> names = new TreeSet<>();
        people.forEach(p -> names.add(p.username()));
        return names;
    }

    /** What is wrong with an actor (empty when exactly one person plays it). */
    List<Issue> issuesOf(JsonNode actor) {
        List<Issue> issues = new ArrayList<>();
        resolve(actor, issues);
        return issues;
    }

    /** A professional of {@code people}: their role must be the realm's, their organisation the directory's. */
    List<Issue> unknownNamesOf(JsonNode professional) {
        List<Issue> issues = new ArrayList<>();
        known(
                professional.path("role").asText(null),
                professional.path("organisation").asText(null),
                null,
                issues);
        String practitioner = professional.path("practitioner").asText(null);
        if (practitioner != null && !references.practitioners().contains(practitioner)) {
            issues.add(new Issue(
                    "practitioner",
                    "no practitioner '" + practitioner + "' in the directory"
                            + DidYouMean.hint(practitioner, references.practitioners())));
        }
        return issues;
    }

    /** The person an actor is; problems (field of the actor, message) go to {@code problems}. */
    Optional<Person> resolve(JsonNode actor, List<Issue> problems) {
        String role = actor.path("role").asText(null);
        String organisation = actor.path("organisation").asText(null);
        String user = actor.path("user").asText(null);
        boolean named = known(role, organisation, user, problems);
        if (!named || role == null) {
            return Optional.empty();
        }
        List<Person> matches = people.stream()
                .filter(p -> p.roles().contains(role))
                .filter(p -> organisation == null || organisation.equals(p.organisation()))
                .filter(p -> user == null || user.equals(p.username()))
                .toList();
        if (matches.size() == 1) {
            return Optional.of(matches.getFirst());
        }
        String who = role + (user != null ? " " + user : "") + (organisation != null ? " @ " + organisation : "");
        if (matches.isEmpty()) {
            Set<String> where = new TreeSet<>();
            people.stream()
                    .filter(p -> p.roles().contains(role) && p.organisation() != null)
                    .forEach(p -> where.add(p.organisation()));
            problems.add(new Issue(
                    "",
                    "no user is " + who
                            + (where.isEmpty() ? "" : " (" + role + " is held at " + String.join(", ", where))
                            + (where.isEmpty() ? "" : ")")));
        } else {
            problems.add(new Issue(
                    "",
                    "several users are " + who + " ("
                            + String.join(
                                    ", ", matches.stream().map(Person::username).toList()) + "): name one with user"));
        }
        return Optional.empty();
    }

    private boolean known(String role, String organisation, String user, List<Issue> problems) {
        boolean named = true;
        if (role != null && !roles().contains(role)) {
            problems.add(new Issue("role", "no role '" + role + "' in the realm" + DidYouMean.hint(role, roles())));
            named = false;
        }
        if (organisation != null && !references.organisations().contains(organisation)) {
            problems.add(new Issue(
                    "organisation",
                    "no organisation '" + organisation + "' in the directory"
                            + DidYouMean.hint(organisation, references.organisations())));
            named = false;
        }
        if (user != null && !usernames().contains(user)) {
            problems.add(new Issue(
                    "user",
                    "no user '" + user + "' in the realm or the journey's people"
                            + DidYouMean.hint(user, usernames())));
            named = false;
        }
        return named;
    }
}
