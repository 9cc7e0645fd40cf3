package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessDecision.Reason;
import org.ldrtestbed.identity.access.AccessRules;

/**
 * Which interactions the server offers an actor at all, before any entry is looked at: every delete and
 * {@code $expunge} is the policy's deleters' only; restricted actors get the interactions the access policy can decide
 * entry by entry, the operations the policy offers, and no query whose answer could reveal what it withholds (totals,
 * reverse chaining, chains into other patient data, {@code $meta} over a whole type or server). Plain Java over HAPI's
 * operation types, so the switchboard in {@link AccessInterceptor} stays thin.
 */
public final class InteractionRules {

    /** Interactions decided entry by entry (reads and searches as shown, writes as stored). */
    private static final Set<RestOperationTypeEnum> DECIDED_PER_ENTRY = Set.of(
            RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD,
            RestOperationTypeEnum.SEARCH_TYPE,
            RestOperationTypeEnum.SEARCH_SYSTEM,
            RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.HISTORY_SYSTEM,
            RestOperationTypeEnum.GET_PAGE,
            RestOperationTypeEnum.CREATE,
            RestOperationTypeEnum.UPDATE,
            RestOperationTypeEnum.PATCH,
            RestOperationTypeEnum.TRANSACTION,
            RestOperationTypeEnum.BATCH,
            RestOperationTypeEnum.METADATA);

    /** Directory types a chained search may follow: what they hold is open to every actor. */
    private static final Set<String> OPEN_CHAIN_TARGETS = Set.of(
            "Patient",
            "Organization",
            "Practitioner",
            "PractitionerRole",
            "Location",
            "HealthcareService",
            "Endpoint",
            "Schedule",
            "Slot");

    private static final Set<String> EXPUNGE = Set.of("expunge", "delete-expunge");

    /** Every delete, of any form, by anyone but the policy's deleters. */
    public static final AccessDecision DELETE_REFUSAL = AccessDecision.deny(
            Reason.DELETE_REFUSED,
            "entries are not deleted: the organisation that recorded one marks it entered-in-error"
                    + " (hard delete and $expunge are the testbed administrator's)");

    private final FhirContext fhirContext;
    private final AccessRules rules;

    public InteractionRules(FhirContext fhirContext, AccessRules rules) {
        this.fhirContext = fhirContext;
        this.rules = rules;
    }

    /**
     * The refusal of a request as a whole, if it is refused before any entry is read or written.
     *
     * @param operation HAPI's operation type
     * @param operationName for an extended operation, its name without {@code $}
     * @param resourceName the type the request is about, or null at server level
     * @param instance whether it names one entry
     * @param parameters the request's parameters
     */
    public Optional<AccessDecision> refusal(
            ActorIdentity actor,
            RestOperationTypeEnum operation,
            String operationName,
            String resourceName,
            boolean instance,
            Map<String, String[]> parameters) {
        boolean destroys = operation == RestOperationTypeEnum.DELETE
                || (operationName != null && EXPUNGE.contains(operationName))
                || parameters.containsKey("_expunge");
        if (destroys) {
            return rules.mayDelete(actor) ? Optional.empty() : Optional.of(DELETE_REFUSAL);
        }
        if (!rules.restricts(actor)) {
            return Optional.empty();
        }
        // HAPI's JPA serves $meta as an extended operation.
        boolean meta = operation == RestOperationTypeEnum.META || "meta".equals(operationName);
        if (meta && !instance) {
            return deny(Reason.OPERATION, "$meta over a whole type or server would gather every record's labels");
        }
        switch (operation) {
            case META -> {
                return offered("meta");
            }
            case META_ADD -> {
                return offered("meta-add");
            }
            case META_DELETE -> {
                return offered("meta-delete");
            }
            case VALIDATE -> {
                return offered("validate");
            }
            case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> {
                return offered(operationName);
            }
            default -> {
                if (!DECIDED_PER_ENTRY.contains(operation)) {
                    return deny(Reason.OPERATION, "interaction " + operation.getCode() + " is not offered");
                }
            }
        }
        for (String parameter : parameters.keySet()) {
            if (parameter.startsWith("_has")) {
                return deny(
                        Reason.OPERATION, "reverse chaining (_has) would reveal entries the access policy withholds");
            }
            if (resourceName != null && parameter.contains(".") && !opensChain(resourceName, parameter)) {
                return deny(
                        Reason.OPERATION,
                        "chained search " + parameter + " would search inside entries the access policy withholds");
            }
        }
        return Optional.empty();
    }

    /**
     * A chain by identifier, or whose first link can only reach directory entries or the Patient (demographics, open
     * to a trace).
     */
    private boolean opensChain(String resourceName, String parameter) {
        String link = parameter.substring(0, parameter.indexOf('.'));
        String chained = parameter.substring(parameter.indexOf('.') + 1).split(":", 2)[0];
        if (chained.equals("identifier") || chained.equals("_id")) {
            return true; // finding by business identifier (an NHS number, say) searches no clinical content
        }
        int colon = link.indexOf(':');
        if (colon >= 0) {
            return OPEN_CHAIN_TARGETS.contains(link.substring(colon + 1));
        }
        RuntimeResourceDefinition definition;
        try {
            definition = fhirContext.getResourceDefinition(resourceName);
        } catch (RuntimeException e) {
            return false;
        }
        RuntimeSearchParam searchParam = definition.getSearchParam(link);
        if (searchParam == null) {
            return false;
        }
        Set<String> targets = searchParam.getTargets();
        return !targets.isEmpty() && OPEN_CHAIN_TARGETS.containsAll(targets);
    }

    private Optional<AccessDecision> offered(String operationName) {
        return operationName != null && rules.offers(operationName)
                ? Optional.empty()
                : deny(Reason.OPERATION, "operation $" + operationName + " is not offered by the access policy");
    }

    private static Optional<AccessDecision> deny(Reason reason, String detail) {
        return Optional.of(AccessDecision.deny(reason, detail));
    }

    /** The operation's name without its {@code $}, or null. */
    public static String nameOf(String operation) {
        return operation == null ? null : operation.startsWith("$") ? operation.substring(1) : operation;
    }
}
