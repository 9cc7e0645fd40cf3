package org.ldrtestbed.identity.access;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The access policy file ({@code identity/access-policy.yaml}): resource classes, role x purpose of use -> classes,
 * where a legitimate relationship comes from, and which security labels make an entry sensitive. A simulation
 * assumption, not a national rule (the file says so). {@link AccessRules} decides with it.
 */
public record AccessPolicy(
        String policy,
        int version,
        List<ResourceClass> classes,
        Map<String, Map<String, List<String>>> roles,
        List<String> unrestrictedRoles,
        String patientRole,
        String proxyRole,
        LegitimateRelationship legitimateRelationship,
        Writes writes,
        List<String> operations,
        List<SensitiveLabel> sensitiveLabels,
        Requests requests) {

    /** Direct care, the default purpose of use (v3 ActReason). */
    public static final String TREAT = "TREAT";
    /** Emergency access: break the glass (v3 ActReason). */
    public static final String BREAK_GLASS = "BTG";
    /** Grants every class. */
    public static final String ALL = "*";

    public AccessPolicy {
        classes = List.copyOf(classes);
        roles = Map.copyOf(roles);
        unrestrictedRoles = unrestrictedRoles == null ? List.of() : List.copyOf(unrestrictedRoles);
        sensitiveLabels = sensitiveLabels == null ? List.of() : List.copyOf(sensitiveLabels);
        writes = writes == null ? new Writes(null, null, null, null, null) : writes;
        operations = operations == null ? List.of() : List.copyOf(operations);
        Objects.requireNonNull(patientRole, "patient-role");
        Objects.requireNonNull(proxyRole, "proxy-role");
        Set<String> codes = new LinkedHashSet<>();
        classes.forEach(c -> codes.add(c.code()));
        roles.forEach((role, purposes) -> purposes.forEach((purpose, granted) -> {
            if (!purpose.equals(TREAT) && !purpose.equals(BREAK_GLASS)) {
                throw new IllegalArgumentException("role " + role + ": unknown purpose of use " + purpose);
            }
            granted.stream()
                    .filter(c -> !c.equals(ALL) && !codes.contains(c))
                    .findFirst()
                    .ifPresent(c -> {
                        throw new IllegalArgumentException("role " + role + " " + purpose + ": unknown class " + c);
                    });
        }));
        legitimateRelationship.withoutRelationship().stream()
                .filter(c -> !codes.contains(c))
                .findFirst()
                .ifPresent(c -> {
                    throw new IllegalArgumentException("legitimate-relationship: unknown class " + c);
                });
        // Without it, hard deletes, reverse chaining and totals would be allowed: a policy must say what it refuses.
        if (requests == null) {
            throw new IllegalArgumentException("requests: required (the request rules: destroying operations and "
                    + "parameters, refused parameters, totals)");
        }
    }

    /**
     * A class of entries a rule can grant: by resource type, optionally narrowed by FHIRPath per type, or by the care
     * setting of the organisation that wrote it.
     */
    public record ResourceClass(
            String code, String title, List<String> types, Map<String, String> where, List<String> writtenBySetting) {
        public ResourceClass {
            types = types == null ? List.of() : List.copyOf(types);
            where = where == null ? Map.of() : Map.copyOf(where);
            writtenBySetting = writtenBySetting == null ? List.of() : List.copyOf(writtenBySetting);
        }

        /** The resource types this class may hold, or none when any type written by its settings qualifies. */
        public Set<String> candidateTypes() {
            Set<String> all = new LinkedHashSet<>(types);
            all.addAll(where.keySet());
            return all;
        }
    }

    /** Where an organisation's involvement in a patient's care is read from: care events, per resource type. */
    public record LegitimateRelationship(List<String> withoutRelationship, Map<String, CareEvent> careEvents) {
        public LegitimateRelationship {
            withoutRelationship = withoutRelationship == null ? List.of() : List.copyOf(withoutRelationship);
            careEvents = careEvents == null ? Map.of() : Map.copyOf(careEvents);
        }
    }

    /**
     * Organisation references of one resource type that make the organisation part of the patient's care:
     * {@code recorded} whoever wrote the entry, {@code referred} only when someone else did (a referral sent to it).
     */
    public record CareEvent(List<String> recorded, List<String> referred) {
        public CareEvent {
            recorded = recorded == null ? List.of() : List.copyOf(recorded);
            referred = referred == null ? List.of() : List.copyOf(referred);
        }
    }

    /**
     * Who may write what: the types a patient writes into their own record, what a proxy never writes, the roles
     * that record consent for the patient, the roles that may delete, and per type the elements the organisation an
     * entry is addressed to (its owner, e.g. {@code Task.owner}) may change although it did not write it.
     */
    public record Writes(
            List<String> patientTypes,
            List<String> proxyNever,
            List<String> consentRecorders,
            List<String> deleters,
            Map<String, List<String>> ownerChanges) {
        public Writes {
            patientTypes = patientTypes == null ? List.of() : List.copyOf(patientTypes);
            proxyNever = proxyNever == null ? List.of() : List.copyOf(proxyNever);
            consentRecorders = consentRecorders == null ? List.of() : List.copyOf(consentRecorders);
            deleters = deleters == null ? List.of() : List.copyOf(deleters);
            ownerChanges = ownerChanges == null ? Map.of() : Map.copyOf(ownerChanges);
        }
    }

    /**
     * What restricted actors may ask of the server at all, before any entry is looked at ({@link InteractionRules}).
     * The section, its destroying operations and parameters, refused parameters and totals are required and not
     * empty: left out, they would allow what they exist to refuse. The other entries fail closed when absent.
     *
     * @param perEntry interactions (HAPI's codes) decided entry by entry; any other interaction is refused
     * @param instanceOnly operations offered on one entry only, never over a whole type or the server
     * @param destroyingOperations operations that hard-delete, as a delete does: the deleters' only
     * @param destroyingParameters parameters that make a request hard-delete
     * @param refusedParameters search parameters refused, by the start of their name, with why
     * @param totals what asks a search for its total ({@code name} or {@code name=value}): refused, and a
     *     searchset's total is dropped, where it would count what is withheld
     * @param professionalTrace types whose searches by a professional keep their totals (a PDS-style trace)
     * @param openChainTargets types a chained search may follow a link to (open to every actor)
     * @param openChainElements what a chain may end in whatever its link reaches (a business identifier)
     */
    public record Requests(
            List<String> perEntry,
            List<String> instanceOnly,
            List<String> destroyingOperations,
            List<String> destroyingParameters,
            Map<String, String> refusedParameters,
            List<String> totals,
            List<String> professionalTrace,
            List<String> openChainTargets,
            List<String> openChainElements) {
        public Requests {
            perEntry = perEntry == null ? List.of() : List.copyOf(perEntry);
            instanceOnly = instanceOnly == null ? List.of() : List.copyOf(instanceOnly);
            // What these refuse, an absent or empty entry would allow: they fail closed only by being stated.
            destroyingOperations = List.copyOf(required("destroying-operations", destroyingOperations));
            destroyingParameters = List.copyOf(required("destroying-parameters", destroyingParameters));
            refusedParameters = Map.copyOf(required("refused-parameters", refusedParameters));
            totals = List.copyOf(required("totals", totals));
            professionalTrace = professionalTrace == null ? List.of() : List.copyOf(professionalTrace);
            openChainTargets = openChainTargets == null ? List.of() : List.copyOf(openChainTargets);
            openChainElements = openChainElements == null ? List.of() : List.copyOf(openChainElements);
        }

        private static <T> T required(String key, T value) {
            if (value == null
                    || (value instanceof Collection<?> c && c.isEmpty())
                    || (value instanceof Map<?, ?> m && m.isEmpty())) {
                throw new IllegalArgumentException("requests." + key + ": required, and must list at least one entry");
            }
            return value;
        }
    }

    /** A {@code meta.security} coding that marks an entry as sensitive, and the category it stands for. */
    public record SensitiveLabel(String system, String code, String category) {}

    /** The classes a role is granted for a purpose of use; empty when it has none (e.g. no emergency access). */
    public Optional<Set<String>> grants(String role, String purpose) {
        Map<String, List<String>> purposes = roles.get(role);
        if (purposes == null || !purposes.containsKey(purpose)) {
            return Optional.empty();
        }
        List<String> granted = purposes.get(purpose);
        return Optional.of(
                granted.contains(ALL)
                        ? new LinkedHashSet<>(
                                classes.stream().map(ResourceClass::code).toList())
                        : new LinkedHashSet<>(granted));
    }

    /** The sensitive category a {@code meta.security} coding stands for, if any. */
    public Optional<String> sensitiveCategory(String system, String code) {
        return sensitiveLabels.stream()
                .filter(l -> l.system().equals(system) && l.code().equals(code))
                .map(SensitiveLabel::category)
                .findFirst();
    }

    /** Whether any of these roles may break the glass. */
    public boolean mayBreakGlass(List<String> actorRoles) {
        return actorRoles.stream().anyMatch(r -> grants(r, BREAK_GLASS).isPresent());
    }

    public List<String> classCodes() {
        List<String> codes = new ArrayList<>();
        classes.forEach(c -> codes.add(c.code()));
        return codes;
    }

    public static AccessPolicy load(String location) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = new DefaultResourceLoader().getResource(location).getInputStream()) {
            return yaml.readValue(in, AccessPolicy.class);
        } catch (ValueInstantiationException e) {
            // A record's own check refused the file: say which file and what it lacks, not how Jackson got there.
            Throwable problem = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException("Access policy " + location + ": " + problem.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read access policy " + location + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Access policy " + location + ": " + e.getMessage(), e);
        }
    }
}
