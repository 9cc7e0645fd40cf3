package org.ldrtestbed.identity.smart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ldrtestbed.identity.contract.ScopeRequests;

/**
 * The SMART on FHIR resource scopes a token carries, and what they permit. Reads SMART v2 scopes
 * ({@code <context>/<Type>.<cruds>}, e.g. {@code user/*.cruds}, {@code patient/Observation.rs}) and SMART v1 ones
 * ({@code .read}, {@code .write}, {@code .*}); other scopes ({@code openid}, {@code profile}, {@code launch}...) are
 * ignored. Interactions are SMART v2's letters: {@code c} create, {@code r} read, {@code u} update, {@code d} delete,
 * {@code s} search.
 *
 * <p>The context ({@code user}, {@code patient}, {@code system}) says on whose behalf the client acts; which records
 * of a patient it may then see is the access policy's decision, not this class's.
 */
public final class SmartScopes {

    /** What a professional's token asks for through the public client. */
    public static final String PROFESSIONAL_REQUEST = ScopeRequests.PROFESSIONAL;

    /** What a patient's (or a proxy's) token asks for through the public client. */
    public static final String PATIENT_REQUEST = ScopeRequests.PATIENT;

    /** Realm roles whose holders act in a patient's context rather than as a professional. */
    public static final List<String> PATIENT_ROLES = ScopeRequests.PATIENT_ROLES;

    private static final Pattern RESOURCE_SCOPE =
            Pattern.compile("^(patient|user|system)/(\\*|[A-Z][A-Za-z]+)\\.(read|write|\\*|c?r?u?d?s?)(\\?.*)?$");
    private static final String ALL = "cruds";

    private final List<ResourceScope> scopes;

    private SmartScopes(List<ResourceScope> scopes) {
        this.scopes = List.copyOf(scopes);
    }

    /** Parses a token's space-separated {@code scope} claim (null or blank: no scopes). */
    public static SmartScopes parse(String scopeClaim) {
        List<ResourceScope> parsed = new ArrayList<>();
        if (scopeClaim != null) {
            for (String scope : scopeClaim.trim().split("\\s+")) {
                ResourceScope.parse(scope).ifPresent(parsed::add);
            }
        }
        return new SmartScopes(parsed);
    }

    /** The {@code scope} request parameter for a realm user through the public client, by their realm roles. */
    public static String requestFor(Collection<String> realmRoles) {
        return ScopeRequests.requestFor(realmRoles);
    }

    /** The SMART resource scopes found, in the claim's order. */
    public List<ResourceScope> scopes() {
        return scopes;
    }

    public boolean isEmpty() {
        return scopes.isEmpty();
    }

    /**
     * Whether some scope allows the interaction on the resource type.
     *
     * @param resourceType e.g. {@code Patient}; {@code *} for a system-wide interaction, which only a wildcard scope
     *     allows
     * @param interaction one of {@code c r u d s}
     */
    public boolean permits(String resourceType, char interaction) {
        if (ALL.indexOf(interaction) < 0) {
            throw new IllegalArgumentException("Not a SMART interaction: '" + interaction + "' (one of c r u d s)");
        }
        return scopes.stream().anyMatch(s -> s.permits(resourceType, interaction));
    }

    /** The narrowest scope that would permit the interaction, for refusal messages, e.g. {@code user/Patient.c}. */
    public static String needed(String context, String resourceType, char interaction) {
        return context + "/" + resourceType + "." + interaction;
    }

    @Override
    public String toString() {
        return scopes.stream().map(ResourceScope::scope).toList().toString();
    }

    /**
     * One SMART resource scope.
     *
     * @param scope the scope as the token carries it
     * @param context {@code patient}, {@code user} or {@code system}
     * @param resourceType a resource type, or {@code *} for all
     * @param interactions the permitted interactions as SMART v2 letters, in {@code cruds} order
     */
    public record ResourceScope(String scope, String context, String resourceType, String interactions) {

        static Optional<ResourceScope> parse(String scope) {
            Matcher m = RESOURCE_SCOPE.matcher(scope);
            if (!m.matches() || m.group(3).isEmpty()) {
                return Optional.empty();
            }
            String interactions = switch (m.group(3)) {
                // SMART v1: read covers reads and searches, write covers the other three.
                case "read" -> "rs";
                case "write" -> "cud";
                case "*" -> ALL;
                default -> m.group(3);
            };
            return Optional.of(new ResourceScope(scope, m.group(1).toLowerCase(Locale.ROOT), m.group(2), interactions));
        }

        boolean permits(String type, char interaction) {
            return interactions.indexOf(interaction) >= 0 && ("*".equals(resourceType) || resourceType.equals(type));
        }
    }
}
