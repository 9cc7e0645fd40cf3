package org.ldrtestbed.fhirserver.security;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.bundle.BundleEntryParts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.ldrtestbed.fhirserver.gpconnect.StructuredRecord;
import org.ldrtestbed.fhirserver.gpconnect.StructuredRecordProvider;
import org.ldrtestbed.identity.smart.SmartScopes;

/**
 * Refuses a FHIR interaction that the token's SMART scopes do not permit, with 403 and an OperationOutcome naming the
 * missing scope. A thin adapter: HAPI's operation type becomes a SMART interaction letter (c r u d s), and
 * {@link SmartScopes} decides. A transaction or batch needs the scope of every entry. The capability statement stays
 * open; a token without any SMART scope may do nothing else.
 */
@Interceptor
public class SmartScopeInterceptor {

    private static final String ALL_TYPES = "*";

    private final FhirContext fhirContext;

    public SmartScopeInterceptor(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkScopes(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA || operation == RestOperationTypeEnum.GET_PAGE) {
            // The capability statement is open; a further page belongs to a search that was already checked.
            return;
        }
        SmartScopes scopes = SmartScopes.parse(CurrentActor.scope(request).orElse(null));
        for (Needed needed : needed(request, operation)) {
            if (!scopes.permits(needed.resourceType(), needed.interaction())) {
                throw refusal(scopes, needed);
            }
        }
    }

    /** The interactions the request performs, as SMART sees them. */
    List<Needed> needed(RequestDetails request, RestOperationTypeEnum operation) {
        String type = request.getResourceName() == null ? ALL_TYPES : request.getResourceName();
        if (StructuredRecordProvider.NAME.equals(request.getOperation())) {
            // Posted, but it changes nothing: it searches the record's types it gathers.
            return StructuredRecord.TYPES.stream().map(t -> new Needed(t, 's')).toList();
        }
        return switch (operation) {
            case CREATE -> List.of(new Needed(type, 'c'));
            case READ, VREAD, HISTORY_INSTANCE -> List.of(new Needed(type, 'r'));
            case UPDATE, PATCH, META_ADD, META_DELETE -> List.of(new Needed(type, 'u'));
            case DELETE -> List.of(new Needed(type, 'd'));
            case SEARCH_TYPE, SEARCH_SYSTEM, HISTORY_TYPE, HISTORY_SYSTEM -> List.of(new Needed(type, 's'));
            case TRANSACTION, BATCH -> entries(request);
            // An operation read with GET changes nothing; one posted may change what it is invoked on.
            default -> List.of(new Needed(type, request.getRequestType() == RequestTypeEnum.GET ? 'r' : 'u'));
        };
    }

    private List<Needed> entries(RequestDetails request) {
        IBaseResource body = request.getResource();
        if (!(body instanceof IBaseBundle)) {
            // Not parsed yet: read the (cached) body ourselves, in whichever encoding it came.
            String text = new String(request.loadRequestContents(), StandardCharsets.UTF_8).strip();
            body = (text.startsWith("<") ? fhirContext.newXmlParser() : fhirContext.newJsonParser())
                    .parseResource(text);
        }
        List<Needed> needed = new ArrayList<>();
        for (BundleEntryParts entry : BundleUtil.toListOfEntries(fhirContext, (IBaseBundle) body)) {
            String type = typeOf(entry);
            RequestTypeEnum method = entry.getRequestType();
            char interaction = switch (method == null ? RequestTypeEnum.GET : method) {
                case POST -> 'c';
                case PUT, PATCH -> 'u';
                case DELETE -> 'd';
                default -> isSearch(entry.getUrl()) ? 's' : 'r';
            };
            needed.add(new Needed(type, interaction));
        }
        return needed;
    }

    private static String typeOf(BundleEntryParts entry) {
        String url = entry.getUrl();
        if (url != null && !url.isBlank()) {
            String path = url.replaceFirst("^/", "").split("[/?]", 2)[0];
            if (!path.isEmpty() && Character.isUpperCase(path.charAt(0))) {
                return path;
            }
        }
        return entry.getResource() != null ? entry.getResource().fhirType() : ALL_TYPES;
    }

    private static boolean isSearch(String url) {
        return url == null || url.contains("?") || !url.replaceFirst("^/", "").contains("/");
    }

    private ForbiddenOperationException refusal(SmartScopes scopes, Needed needed) {
        List<String> contexts = scopes.isEmpty()
                ? List.of("patient", "user", "system")
                : scopes.scopes().stream()
                        .map(SmartScopes.ResourceScope::context)
                        .distinct()
                        .toList();
        String missing = String.join(
                " or ",
                contexts.stream()
                        .map(c -> SmartScopes.needed(c, needed.resourceType(), needed.interaction()))
                        .toList());
        String message = "The token's SMART scopes " + (scopes.isEmpty() ? "(none)" : scopes.toString())
                + " do not permit '" + needed.interaction() + "' on " + needed.resourceType() + ": it needs the scope "
                + missing + " (or a wildcard such as " + contexts.getFirst() + "/*.cruds)";
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.FORBIDDEN)
                .setDiagnostics(message);
        return new ForbiddenOperationException(message, outcome);
    }

    /** One interaction the request needs a scope for. */
    record Needed(String resourceType, char interaction) {}
}
