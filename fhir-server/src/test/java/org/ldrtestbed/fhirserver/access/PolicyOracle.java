package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.contract.FhirPathTruth;

/**
 * The access spec (/work/access-spec.md, issue #9) restated from the policy file read as plain data (a Jackson tree),
 * for {@link AttackMatrix}: it never calls the server's rules (AccessRules, AccessControl, ResourceClassifier), so a
 * bug there cannot hide in both the server and its oracle. Break-glass and held entries are {@link AccessMatrix}'s.
 */
final class PolicyOracle {

    static final String RESOURCE = "identity/access-policy.yaml";

    /** An answer: allowed, or refused with the policy's reason code. */
    record Verdict(boolean allowed, String reason) {
        static final Verdict ALLOW = new Verdict(true, null);

        static Verdict deny(String reason) {
            return new Verdict(false, reason);
        }

        @Override
        public String toString() {
            return allowed ? "allowed" : "refused: " + reason;
        }
    }

    /** A dissent: the organisations it names and the types it covers (empty: all). */
    record Dissent(List<String> organisations, List<String> types) {
        boolean covers(String organisation, String type) {
            return (organisations.isEmpty() || organisations.contains(organisation))
                    && (types.isEmpty() || types.contains(type));
        }
    }

    /**
     * What the record of a patient says about access: the organisations its care events name (registration,
     * encounters, care teams, referrals by others: never a write by itself), a dissent, and proxy grants by username.
     */
    record PatientState(
            String nhsNumber,
            Set<String> careOrganisations,
            Optional<Dissent> dissent,
            Map<String, Set<String>> grants) {}

    /**
     * What an entry is: its type, policy class, the patient whose record it is part of (null: no patient), its
     * sensitive categories and the organisation that wrote it.
     */
    record Facts(String type, String resourceClass, PatientState patient, Set<String> categories, String writer) {}

    private final JsonNode policy;
    private final IFhirPath fhirPath;

    PolicyOracle(FhirContext fhir) {
        try (InputStream in = PolicyOracle.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the test classpath");
            }
            this.policy = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.fhirPath = fhir.newFhirPath();
    }

    // ── The policy as data ─────────────────────────────────────────────────────────────────────────────────────

    List<String> roles() {
        List<String> roles = new ArrayList<>();
        policy.path("roles").fieldNames().forEachRemaining(roles::add);
        return roles.stream().sorted().toList();
    }

    String patientRole() {
        return policy.path("patient-role").asText();
    }

    String proxyRole() {
        return policy.path("proxy-role").asText();
    }

    /** Every sensitive category the policy names (the words no withheld entry's reader may see). */
    Set<String> categories() {
        Set<String> categories = new LinkedHashSet<>();
        policy.path("sensitive-labels")
                .forEach(l -> categories.add(l.path("category").asText()));
        return categories;
    }

    /** The category a meta.security label makes an entry, if any. */
    Optional<String> category(String system, String code) {
        for (JsonNode label : policy.path("sensitive-labels")) {
            if (label.path("system").asText().equals(system)
                    && label.path("code").asText().equals(code)) {
                return Optional.of(label.path("category").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * An entry's class: Bundle and Binary are documents (the spec); otherwise the first class, top to bottom, whose
     * writer settings, FHIRPath or types match.
     */
    Optional<String> classOf(Resource entry, Optional<String> writerSetting) {
        String type = entry.fhirType();
        if (type.equals("Bundle") || type.equals("Binary")) {
            return Optional.of("documents");
        }
        for (JsonNode candidate : policy.path("classes")) {
            JsonNode settings = candidate.path("written-by-setting");
            if (!settings.isMissingNode()) {
                if (writerSetting.isPresent() && contains(settings, writerSetting.get())) {
                    return Optional.of(candidate.path("code").asText());
                }
                continue;
            }
            JsonNode where = candidate.path("where").path(type);
            if ((!where.isMissingNode() && isTrue(entry, where.asText())) || contains(candidate.path("types"), type)) {
                return Optional.of(candidate.path("code").asText());
            }
        }
        return Optional.empty();
    }

    /** The classes a role is granted for direct care ("*": every class). */
    Set<String> treat(List<String> roles) {
        Set<String> granted = new LinkedHashSet<>();
        for (String role : roles) {
            for (JsonNode c : policy.path("roles").path(role).path("TREAT")) {
                if (c.asText().equals("*")) {
                    policy.path("classes")
                            .forEach(k -> granted.add(k.path("code").asText()));
                } else {
                    granted.add(c.asText());
                }
            }
        }
        return granted;
    }

    // ── Who the actor is ───────────────────────────────────────────────────────────────────────────────────────

    boolean unrestricted(ActorIdentity who) {
        return who.roles().stream().anyMatch(r -> contains(policy.path("unrestricted-roles"), r));
    }

    boolean isPatient(ActorIdentity who) {
        return who.roles().contains(patientRole()) && who.patient() != null;
    }

    boolean isProxy(ActorIdentity who) {
        return !isPatient(who) && who.roles().contains(proxyRole()) && who.proxyFor() != null;
    }

    boolean isProfessional(ActorIdentity who) {
        return !unrestricted(who) && !isPatient(who) && !isProxy(who);
    }

    private static boolean ownRecord(ActorIdentity who, PatientState patient) {
        return patient != null
                && (patient.nhsNumber().equals(who.patient())
                        || patient.nhsNumber().equals(who.proxyFor()));
    }

    // ── Reads ──────────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * A read of an entry (read, vread, instance $meta, or its appearance in any search, history, include or page).
     * Patient/proxy: other-patient, not-granted. Professional: sensitive, role, no-relationship, dissent (the writer's
     * own organisation needs neither a relationship nor consent). An entry naming no patient: its writer's
     * organisation only.
     */
    Verdict read(ActorIdentity who, Facts entry) {
        if (unrestricted(who)) {
            return Verdict.ALLOW;
        }
        boolean own = who.organisation() != null && who.organisation().equals(entry.writer());
        if (entry.patient() == null) {
            return own
                    ? Verdict.ALLOW
                    : Verdict.deny(isPatient(who) || isProxy(who) ? "other-patient" : "no-relationship");
        }
        if (isPatient(who) || isProxy(who)) {
            if (!ownRecord(who, entry.patient())) {
                return Verdict.deny("other-patient");
            }
            if (isProxy(who)
                    && !entry.patient()
                            .grants()
                            .getOrDefault(who.username(), Set.of())
                            .contains(entry.type())) {
                return Verdict.deny("not-granted");
            }
            return Verdict.ALLOW;
        }
        if (!entry.categories().isEmpty() && !own) {
            return Verdict.deny("sensitive");
        }
        if (!treat(who.roles()).contains(entry.resourceClass())) {
            return Verdict.deny("role");
        }
        boolean needsRelationship =
                !contains(policy.path("legitimate-relationship").path("without-relationship"), entry.resourceClass());
        if (needsRelationship && !own && !entry.patient().careOrganisations().contains(who.organisation())) {
            return Verdict.deny("no-relationship");
        }
        if (!own
                && entry.patient()
                        .dissent()
                        .map(d -> d.covers(who.organisation(), entry.type()))
                        .orElse(false)) {
            return Verdict.deny("dissent");
        }
        return Verdict.ALLOW;
    }

    // ── Writes ─────────────────────────────────────────────────────────────────────────────────────────────────

    /** A create (POST, conditional create, PUT-as-create, a batch or transaction entry) into a patient's record. */
    Verdict create(ActorIdentity who, String type, String resourceClass, PatientState patient) {
        if (unrestricted(who)) {
            return Verdict.ALLOW;
        }
        JsonNode writes = policy.path("writes");
        if (isPatient(who)) {
            if (!ownRecord(who, patient)) {
                return Verdict.deny("other-patient");
            }
            return contains(writes.path("patient-types"), type) ? Verdict.ALLOW : Verdict.deny("role");
        }
        if (isProxy(who)) {
            if (!ownRecord(who, patient)) {
                return Verdict.deny("other-patient");
            }
            boolean granted =
                    patient.grants().getOrDefault(who.username(), Set.of()).contains(type);
            return granted && !contains(writes.path("proxy-never"), type) ? Verdict.ALLOW : Verdict.deny("not-granted");
        }
        if (!treat(who.roles()).contains(resourceClass)) {
            return Verdict.deny("role");
        }
        if (type.equals("Consent")
                && who.roles().stream().noneMatch(r -> contains(writes.path("consent-recorders"), r))) {
            return Verdict.deny("role");
        }
        return Verdict.ALLOW;
    }

    /**
     * An update, conditional update, patch, $meta-add or $meta-delete of a stored entry; {@code moves} when it would
     * put the entry in another patient's record. Precedence when several rules refuse (the spec does not order
     * them): whose record (other-patient), what type (role / not-granted), who wrote it (not-writer), then
     * moves-record.
     */
    Verdict update(ActorIdentity who, Facts entry, boolean moves) {
        if (unrestricted(who)) {
            return Verdict.ALLOW;
        }
        JsonNode writes = policy.path("writes");
        if (isPatient(who) || isProxy(who)) {
            if (!ownRecord(who, entry.patient())) {
                return Verdict.deny("other-patient");
            }
            if (isPatient(who) && !contains(writes.path("patient-types"), entry.type())) {
                return Verdict.deny("role");
            }
            if (isProxy(who)
                    && (contains(writes.path("proxy-never"), entry.type())
                            || !entry.patient()
                                    .grants()
                                    .getOrDefault(who.username(), Set.of())
                                    .contains(entry.type()))) {
                return Verdict.deny("not-granted");
            }
        } else if (who.organisation() == null || !who.organisation().equals(entry.writer())) {
            return Verdict.deny("not-writer");
        }
        return moves ? Verdict.deny("moves-record") : Verdict.ALLOW;
    }

    /** Hard delete (instance or conditional) and $expunge: the policy's deleters only; not even system clients. */
    Verdict delete(ActorIdentity who) {
        return who.roles().stream().anyMatch(r -> contains(policy.path("writes").path("deleters"), r))
                ? Verdict.ALLOW
                : Verdict.deny("delete-refused");
    }

    private boolean isTrue(Resource entry, String expression) {
        return FhirPathTruth.isTrue(fhirPath, entry, expression);
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode item : list) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
