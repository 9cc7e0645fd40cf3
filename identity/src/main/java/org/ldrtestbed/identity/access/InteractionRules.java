package org.ldrtestbed.identity.access;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision.Reason;

/**
 * Which requests the server answers an actor at all, and for which purpose of use, before any entry is looked at:
 * the policy file's {@code requests}, {@code operations} and {@code writes.deleters}. Every delete and hard-delete
 * operation is the deleters' only; restricted actors get the interactions the policy decides entry by entry, the
 * operations it offers, and no query whose answer could reveal what it withholds (totals, refused parameters such as
 * reverse chaining, chains into other patient data, an instance-only operation over a whole type or server).
 */
public final class InteractionRules {

    /** Every delete, of any form, by anyone but the policy's deleters. */
    public static final AccessDecision DELETE_REFUSAL = AccessDecision.deny(
            Reason.DELETE_REFUSED,
            "entries are not deleted: the organisation that recorded one marks it entered-in-error"
                    + " (hard delete and $expunge are the testbed administrator's)");

    private final AccessRules rules;
    private final AccessPolicy.Requests requests;

    public InteractionRules(AccessRules rules) {
        this.rules = rules;
        this.requests = rules.policy().requests();
    }

    /** The purpose of use a request may have, or why it may not. */
    public sealed interface Purpose {
        /** The request is served for this purpose ({@link AccessPolicy#TREAT} or {@link AccessPolicy#BREAK_GLASS}). */
        record Granted(String purpose) implements Purpose {}

        /** The request does not say what it must (400): {@code problem} names what is missing. */
        record Malformed(String problem) implements Purpose {}

        /** The actor may not ask for it (403). */
        record Refused(String detail) implements Purpose {}
    }

    /**
     * Direct care, unless the request asks for emergency access: then it must give a reason, and one of the actor's
     * roles must be granted classes for {@link AccessPolicy#BREAK_GLASS}.
     *
     * @param breakGlassReason the reason the request gives for emergency access, or null when it asks for none
     */
    public Purpose purpose(ActorIdentity actor, String breakGlassReason) {
        if (breakGlassReason == null) {
            return new Purpose.Granted(AccessPolicy.TREAT);
        }
        if (breakGlassReason.isBlank()) {
            return new Purpose.Malformed("the reason for emergency access");
        }
        if (!rules.policy().mayBreakGlass(actor.roles())) {
            return new Purpose.Refused("Role " + String.join("/", actor.roles())
                    + " may not use emergency access (break-glass) under the access policy");
        }
        return new Purpose.Granted(AccessPolicy.BREAK_GLASS);
    }

    /**
     * Whether the request asks for a total that would count what the policy withholds: a restricted actor's search
     * over patient data, unless it is a professional's trace.
     */
    public boolean refusesTotal(RequestFacts request) {
        return asksForTotal(request) && !keepsTotal(request.actor(), request.resourceType(), request.patientData());
    }

    /**
     * Whether a search result may carry its total: for an unrestricted actor, over directory types, or in a
     * professional's trace ({@code requests.professional-trace}); never where it would count withheld entries.
     *
     * @param patientData whether the searched type is patient data, or the search is over every type
     */
    public boolean keepsTotal(ActorIdentity actor, String resourceType, boolean patientData) {
        return !rules.restricts(actor) || !patientData || isProfessionalTrace(actor, resourceType);
    }

    /** Professionals may trace a patient by demographics (as on PDS): their searches of these types keep totals. */
    public boolean isProfessionalTrace(ActorIdentity actor, String resourceType) {
        return resourceType != null
                && requests.professionalTrace().contains(resourceType)
                && !rules.isPatient(actor)
                && !rules.isProxy(actor);
    }

    /** The refusal of a request as a whole, if it is refused before any entry is read or written. */
    public Optional<AccessDecision> refusal(RequestFacts request) {
        ActorIdentity actor = request.actor();
        String operation = request.operationName();
        boolean destroys = "delete".equals(request.interaction())
                || (operation != null && requests.destroyingOperations().contains(operation))
                || requests.destroyingParameters().stream().anyMatch(request.parameters()::containsKey);
        if (destroys) {
            return rules.mayDelete(actor) ? Optional.empty() : Optional.of(DELETE_REFUSAL);
        }
        if (!rules.restricts(actor)) {
            return Optional.empty();
        }
        if (RequestFacts.OPERATION.equals(request.interaction())) {
            if (operation != null && requests.instanceOnly().contains(operation) && !request.instance()) {
                return deny("$" + operation + " over a whole type or server would gather every record's labels");
            }
            return operation != null && rules.offers(operation)
                    ? Optional.empty()
                    : deny("operation $" + operation + " is not offered by the access policy");
        }
        if (!requests.perEntry().contains(request.interaction())) {
            return deny("interaction " + request.interaction() + " is not offered");
        }
        for (String parameter : request.parameters().keySet()) {
            Optional<String> refused = requests.refusedParameters().entrySet().stream()
                    .filter(e -> parameter.startsWith(e.getKey()))
                    .map(e -> e.getValue())
                    .findFirst();
            if (refused.isPresent()) {
                return deny(refused.get());
            }
            if (request.resourceType() != null && parameter.contains(".") && !opensChain(request, parameter)) {
                return deny("chained search " + parameter + " would search inside entries the access policy withholds");
            }
        }
        return Optional.empty();
    }

    /** Whether the request asks for a total ({@code requests.totals}: a parameter, or a parameter with a value). */
    private boolean asksForTotal(RequestFacts request) {
        return requests.totals().stream().anyMatch(asked -> {
            String[] nameAndValue = asked.split("=", 2);
            List<String> values = request.parameters().get(nameAndValue[0]);
            return values != null && (nameAndValue.length == 1 || values.contains(nameAndValue[1]));
        });
    }

    /** A chain that ends in a business identifier, or whose first link can only reach open types. */
    private boolean opensChain(RequestFacts request, String parameter) {
        String link = parameter.substring(0, parameter.indexOf('.'));
        String chained = parameter.substring(parameter.indexOf('.') + 1).split(":", 2)[0];
        if (requests.openChainElements().contains(chained)) {
            return true;
        }
        int colon = link.indexOf(':');
        if (colon >= 0) {
            return requests.openChainTargets().contains(link.substring(colon + 1));
        }
        Set<String> targets = request.chainTargets().getOrDefault(parameter, Set.of());
        return !targets.isEmpty() && requests.openChainTargets().containsAll(targets);
    }

    private static Optional<AccessDecision> deny(String detail) {
        return Optional.of(AccessDecision.deny(Reason.OPERATION, detail));
    }
}
