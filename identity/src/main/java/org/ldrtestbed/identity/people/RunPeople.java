package org.ldrtestbed.identity.people;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.Roles;

/**
 * The people journey runs have declared, served by the embedded issuer beside the realm's own users for as long as
 * their run lasts. A journey person can never stand in for a realm user nor claim a role that runs the testbed or
 * bypasses the clinical rules, so a journey file cannot widen anyone's access.
 */
public final class RunPeople {

    /** Roles no journey person may hold: the testbed's administrator and the unrestricted system clients. */
    public static final Set<String> PRIVILEGED_ROLES = Roles.PRIVILEGED;

    private final RealmDefinition realm;
    private final Map<String, List<RealmUser>> byRun = new HashMap<>();

    public RunPeople(RealmDefinition realm) {
        this.realm = realm;
    }

    /**
     * Registers (or replaces) a run's people.
     *
     * @throws Refused naming the first person that cannot be served, and why; nothing is registered then
     */
    public synchronized void register(String run, JourneyPeople people) {
        List<RealmUser> users = people.users();
        problems(run, people, users).stream().findFirst().ifPresent(p -> {
            throw new Refused(p);
        });
        byRun.put(run, List.copyOf(users));
    }

    /** Forgets a run's people; false when it had none. */
    public synchronized boolean remove(String run) {
        return byRun.remove(run) != null;
    }

    /** A journey person of a live run; the same person in several runs is the same user. */
    public synchronized Optional<RealmUser> user(String username) {
        return byRun.values().stream()
                .flatMap(List::stream)
                .filter(u -> u.username().equals(username))
                .findFirst();
    }

    /** Why these people cannot be served for this run; empty when they can. */
    synchronized List<String> problems(String run, JourneyPeople people, List<RealmUser> users) {
        List<String> problems = new ArrayList<>(people.problems(realm));
        for (RealmUser user : users) {
            String name = user.username();
            byRun.entrySet().stream()
                    .filter(e -> !e.getKey().equals(run))
                    .flatMap(e -> e.getValue().stream())
                    .filter(u -> u.username().equals(name) && !u.equals(user))
                    .findFirst()
                    .ifPresent(u -> problems.add(
                            "user " + name + " is already a different person in another run on this testbed"));
        }
        return problems;
    }

    /** People the testbed will not serve; the message says which person and why, in one line. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
