package org.ldrtestbed.identity.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.identity.contract.RealmDefinition.Credential;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;

/**
 * The people a journey declares for itself (its {@code people:} section): the patient, their proxies and the
 * professionals, each with a login the embedded identity provider serves for that journey's run only. This is the
 * body of {@code PUT /testbed/runs/{run}/people}, shared by the engine and the server.
 *
 * @param patient the patient the journey follows, with a login; null when the journey gives them none
 * @param proxies people who act for the patient (a relative, a carer)
 * @param professionals professionals with a role at an organisation
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JourneyPeople(Patient patient, List<Proxy> proxies, List<Professional> professionals) {

    /** Every journey person logs in with this password, as the synthetic realm's users do. */
    public static final String PASSWORD = "synthetic-password";

    public static final String PATIENT_ROLE = "patient";
    public static final String PROXY_ROLE = "proxy";

    /**
     * A professional declared without a directory practitioner still gets a practitioner claim, prefixed so, that
     * names no directory entry: the server treats a reader without one as a system, which no journey person is.
     */
    public static final String UNLISTED_PRACTITIONER = "journey-person:";

    /** A journey declaring nobody. */
    public static final JourneyPeople NONE = new JourneyPeople(null, List.of(), List.of());

    public JourneyPeople {
        proxies = proxies == null ? List.of() : List.copyOf(proxies);
        professionals = professionals == null ? List.of() : List.copyOf(professionals);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return patient == null && proxies.isEmpty() && professionals.isEmpty();
    }

    /**
     * @param user the login
     * @param nhsNumber the patient's NHS number: the run's (it may differ from the file's on a rerun)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Patient(String user, String nhsNumber) {}

    /**
     * @param user the login
     * @param relationship how they are related to the patient, e.g. {@code daughter} (v3 RoleCode words)
     * @param proxyFor the NHS number of the patient they act for
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Proxy(String user, String relationship, String proxyFor) {}

    /**
     * @param user the login
     * @param role a realm role, e.g. {@code district-nurse}
     * @param organisation ODS-style code of the organisation they work for
     * @param practitioner SDS-style user id of a directory practitioner, optional (then {@link
     *     #UNLISTED_PRACTITIONER} and the user name)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Professional(String user, String role, String organisation, String practitioner) {}

    /** The same people with the patient (and the proxies) following another NHS number. */
    public JourneyPeople following(String nhsNumber) {
        return new JourneyPeople(
                patient == null ? null : new Patient(patient.user(), nhsNumber),
                proxies.stream()
                        .map(p -> new Proxy(p.user(), p.relationship(), nhsNumber))
                        .toList(),
                professionals);
    }

    /** The people as realm users, with the claims the realm's protocol mappers read. */
    public List<RealmUser> users() {
        List<RealmUser> users = new ArrayList<>();
        if (patient != null) {
            users.add(user(patient.user(), PATIENT_ROLE, Map.of(Claims.PATIENT, patient.nhsNumber())));
        }
        for (Proxy p : proxies) {
            users.add(user(
                    p.user(),
                    PROXY_ROLE,
                    p.relationship() == null
                            ? Map.of(Claims.PROXY_FOR, p.proxyFor())
                            : Map.of(Claims.PROXY_FOR, p.proxyFor(), "relationship", p.relationship())));
        }
        for (Professional p : professionals) {
            users.add(user(
                    p.user(),
                    p.role(),
                    Map.of(
                            Claims.ORGANISATION,
                            p.organisation(),
                            Claims.PRACTITIONER,
                            p.practitioner() != null ? p.practitioner() : UNLISTED_PRACTITIONER + p.user())));
        }
        return users;
    }

    /**
     * Why the testbed would not serve these people in any run, each in one line naming the person (empty when it
     * would): a journey person can never stand in for a realm user nor claim a role that runs the testbed or bypasses
     * the clinical rules. The server also refuses a user name another live run holds as a different person.
     */
    public List<String> problems(RealmDefinition realm) {
        List<String> problems = new ArrayList<>();
        if (patient != null && blank(patient.nhsNumber())) {
            problems.add("the patient " + patient.user() + " has no NHS number");
        }
        for (Professional p : professionals) {
            if (blank(p.role()) || blank(p.organisation())) {
                problems.add("professional " + p.user() + " needs a role and an organisation");
            } else if (Roles.PRIVILEGED.contains(p.role())) {
                problems.add("professional " + p.user() + " claims role " + p.role()
                        + ", which no journey person may hold (it runs the testbed or bypasses the access policy)");
            } else if (PATIENT_ROLE.equals(p.role()) || PROXY_ROLE.equals(p.role())) {
                problems.add("professional " + p.user() + " claims role " + p.role()
                        + ": declare patients under people.patient and proxies under people.proxies");
            }
        }
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        for (RealmUser user : users()) {
            String name = user.username();
            if (blank(name)) {
                problems.add("a journey person has no user name");
                continue;
            }
            if (!seen.add(name)) {
                problems.add("user " + name + " is declared twice");
            }
            if (realm.user(name).isPresent()) {
                problems.add("user " + name + " is already a user of realm '" + realm.realm()
                        + "': a journey person needs a user name of their own");
            }
        }
        return problems;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static RealmUser user(String username, String role, Map<String, String> attributes) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (v != null) {
                multi.put(k, List.of(v));
            }
        });
        return new RealmUser(
                username,
                null,
                "(synthetic, journey)",
                true,
                null,
                List.of(new Credential("password", PASSWORD)),
                List.of(role),
                multi);
    }
}
