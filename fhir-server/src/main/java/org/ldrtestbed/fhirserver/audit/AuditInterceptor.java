package org.ldrtestbed.fhirserver.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ldrtestbed.fhirserver.access.RequestAccess;
import org.ldrtestbed.fhirserver.clock.RequestClock;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.audit.AuditRecord;
import org.ldrtestbed.identity.audit.AuditTrail;

/**
 * Records every FHIR interaction an actor makes (read, search, write, refused or not) in the hash-chained audit
 * trail, one event per patient whose record it touched, with the purpose of use the access policy applied.
 */
@Interceptor
public class AuditInterceptor {

    private final AuditTrail trail;
    private final RequestClock clock;

    public AuditInterceptor(AuditTrail trail, RequestClock clock) {
        this.clock = clock;
        this.trail = trail;
    }

    /** Before the response is written, so whoever reads the trail next finds this access in it. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean completed(RequestDetails request) {
        record(request, 0, null);
        return true;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException failure) {
        record(request, failure.getStatusCode() >= 500 ? 8 : 4, failure.getMessage());
        return true;
    }

    private void record(RequestDetails request, int outcome, String description) {
        RequestAccess access = (RequestAccess) request.getUserData().get(RequestAccess.KEY);
        ActorIdentity actor =
                access != null ? access.actor() : CurrentActor.get(request).orElse(null);
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (actor == null || operation == null || operation == RestOperationTypeEnum.METADATA) {
            return;
        }
        List<String> patients = access == null ? List.of() : new ArrayList<>(access.patients());
        if (patients.isEmpty()) {
            patients = new ArrayList<>();
            patients.add(null);
        }
        String purpose = access == null ? "TREAT" : access.purpose();
        String reason = access == null ? null : access.breakGlassReason();
        String clientId = CurrentActor.clientId(request).orElse(null);
        // A journey's request is audited at the journey's time, as the rest of what it causes.
        Instant now = clock.instant(request);
        for (String patient : patients) {
            trail.append(new AuditRecord(
                    now,
                    action(operation),
                    interaction(operation),
                    request.getResourceName(),
                    query(request, operation),
                    outcome,
                    description,
                    actor.username(),
                    actor.roles(),
                    actor.organisation(),
                    actor.practitioner(),
                    actor.nrbacRole(),
                    clientId,
                    purpose,
                    reason,
                    patient == null ? null : "Patient/" + patient,
                    null,
                    request.getRequestId()));
        }
    }

    private static String query(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            String url = request.getCompleteUrl();
            int q = url == null ? -1 : url.indexOf('?');
            return q < 0 ? "" : url.substring(q + 1);
        }
        return request.getId() == null
                ? null
                : request.getId().toUnqualifiedVersionless().getValue();
    }

    private static String action(RestOperationTypeEnum operation) {
        return switch (operation) {
            case READ, VREAD -> "R";
            case CREATE -> "C";
            case UPDATE, PATCH, META_ADD, META_DELETE -> "U";
            case DELETE -> "D";
            default -> "E";
        };
    }

    private static String interaction(RestOperationTypeEnum operation) {
        return switch (operation) {
            case READ -> "read";
            case VREAD -> "vread";
            case SEARCH_TYPE -> "search-type";
            case SEARCH_SYSTEM -> "search-system";
            case CREATE -> "create";
            case UPDATE -> "update";
            case PATCH -> "patch";
            case DELETE -> "delete";
            case TRANSACTION, BATCH -> "transaction";
            case HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> "history";
            default -> "operation";
        };
    }
}
