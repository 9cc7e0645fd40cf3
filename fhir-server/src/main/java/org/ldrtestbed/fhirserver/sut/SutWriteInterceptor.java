package org.ldrtestbed.fhirserver.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.fhirserver.clock.RequestClock;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a sending system under test's FHIR write meets {@link SutWrites}: puts the request on its run's clock, refuses
 * (422, inside the write's transaction) one for another patient than the run's, and keeps the write with the answer the
 * system got, success or failure. Registered on the REST server: only clients' writes are a system's messages.
 */
@Interceptor
public class SutWriteInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(SutWriteInterceptor.class);

    /** Request user data holding the {@link SutWrites.Matched} write. */
    private static final String MATCHED = SutWriteInterceptor.class.getName() + ".matched";

    private static final String NHS_NUMBER = SutWriteInterceptor.class.getName() + ".nhs";

    private static final String STORED = SutWriteInterceptor.class.getName() + ".stored";

    private static final String ROUTE = SutWriteInterceptor.class.getName() + ".route";

    private final SutWrites writes;
    private final RequestClock requestClock;
    private final FhirContext fhirContext;
    private final MeshOutbox outbox;

    public SutWriteInterceptor(
            SutWrites writes, RequestClock requestClock, FhirContext fhirContext, MeshOutbox outbox) {
        this.writes = writes;
        this.outbox = outbox;
        this.requestClock = requestClock;
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void incoming(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation != RestOperationTypeEnum.CREATE) {
            return;
        }
        String organisation =
                CurrentActor.get(request).map(ActorIdentity::organisation).orElse(null);
        Optional<String> mesh = outbox.route(request.getHeader(MeshOutbox.HEADER));
        writes.match(
                        request.getHeader(Headers.JOURNEY),
                        organisation,
                        request.getResourceName(),
                        mesh.isPresent() ? SystemUnderTest.MESH : SystemUnderTest.FHIR_REST)
                .ifPresent(matched -> {
                    request.getUserData().put(MATCHED, matched);
                    mesh.ifPresent(route -> request.getUserData().put(ROUTE, route));
                    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
                        // A system names its run, never its time: what its write causes is on the run's clock.
                        requestClock.simulate(servlet.getServletRequest(), writes.now(matched));
                    }
                });
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        SutWrites.Matched matched = matched(request);
        if (matched == null) {
            return;
        }
        request.getUserData().put(NHS_NUMBER, writes.nhsNumber(matched, resource));
        request.getUserData()
                .put(STORED, resource.getIdElement().toUnqualified().getValue());
        writes.refusal(matched, resource).ifPresent(why -> {
            // Inside the write's transaction: it rolls back, nothing of it is filed or sent on.
            throw new UnprocessableEntityException(why);
        });
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void answered(RequestDetails request, ResponseDetails response) {
        SutWrites.Matched matched = matched(request);
        if (matched == null) {
            return;
        }
        IBaseResource body = response.getResponseResource();
        // The id the store gave it, whether or not the answer carries the resource (Prefer: return=minimal).
        String location = request.getUserData().get(STORED) instanceof String stored
                ? stored
                : body == null || body.getIdElement().isEmpty()
                        ? null
                        : body.getIdElement().toUnqualified().getValue();
        keep(request, matched, response.getResponseCode(), encode(body), location, null);
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public void failed(RequestDetails request, BaseServerResponseException exception) {
        SutWrites.Matched matched = matched(request);
        if (matched == null) {
            return;
        }
        keep(
                request,
                matched,
                exception.getStatusCode(),
                encode(exception.getOperationOutcome()),
                null,
                exception.getMessage());
    }

    private void keep(
            RequestDetails request,
            SutWrites.Matched matched,
            int status,
            String response,
            String location,
            String error) {
        // Kept once per request: an answer after a handled exception is the same exchange.
        if (request.getUserData().put(MATCHED + ".kept", Boolean.TRUE) != null) {
            return;
        }
        try {
            String nhsNumber = request.getUserData().get(NHS_NUMBER) instanceof String n ? n : nhsNumber(request);
            writes.keep(
                    matched,
                    (request.getUserData().get(ROUTE) instanceof String route
                                    ? route
                                    : "POST " + request.getCompleteUrl())
                            + " by client " + CurrentActor.clientId(request).orElse("?"),
                    nhsNumber != null && nhsNumber.length() <= 16 ? nhsNumber : null,
                    body(request),
                    status,
                    response,
                    location,
                    error);
        } catch (RuntimeException e) {
            // The system is owed its answer whatever befalls the record of the exchange.
            LOG.warn(
                    "Could not keep the exchange of a {} write: {}",
                    matched.flow().code(),
                    e.toString());
        }
    }

    private String nhsNumber(RequestDetails request) {
        return request.getResource() == null ? null : writes.nhsNumber(matched(request), request.getResource());
    }

    private static SutWrites.Matched matched(RequestDetails request) {
        return request.getUserData().get(MATCHED) instanceof SutWrites.Matched m ? m : null;
    }

    private String body(RequestDetails request) {
        try {
            byte[] contents = request.loadRequestContents();
            if (contents != null && contents.length > 0) {
                return new String(contents, StandardCharsets.UTF_8);
            }
        } catch (RuntimeException e) {
            // Read already and not kept: the parsed resource says the same.
        }
        return encode(request.getResource());
    }

    private String encode(IBaseResource resource) {
        return resource == null ? null : fhirContext.newJsonParser().encodeResourceToString(resource);
    }
}
