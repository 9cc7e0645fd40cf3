package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import org.ldrtestbed.fhirserver.access.AccessInterceptor;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.identity.realm.RealmDefinition.RealmUser;

/**
 * A FHIR client acting as one realm user: every request carries that user's bearer token and the journey run's id.
 */
public final class ActorSession {

    /** Header naming the journey run behind a request; the server carries it into flow messages. */
    public static final String JOURNEY_HEADER = FlowTriggerInterceptor.JOURNEY_HEADER;

    private final RealmUser user;
    private final IGenericClient client;
    private final TokenSupplier tokens;
    private volatile String breakGlass;

    ActorSession(
            FhirContext fhirContext, TestbedConnection connection, RealmUser user, TokenSupplier tokens, String runId) {
        this.user = user;
        this.tokens = tokens;
        this.client = fhirContext.newRestfulGenericClient(connection.fhirBase().toString());
        this.client.registerInterceptor(new IClientInterceptor() {
            @Override
            public void interceptRequest(IHttpRequest request) {
                request.addHeader("Authorization", "Bearer " + tokens.tokenFor(user));
                request.addHeader(JOURNEY_HEADER, runId);
                String reason = breakGlass;
                if (reason != null) {
                    request.addHeader(AccessInterceptor.BREAK_GLASS_HEADER, reason);
                }
            }

            @Override
            public void interceptResponse(IHttpResponse response) {
                // Nothing to do on responses.
            }
        });
    }

    /** Emergency access with this reason for the requests that follow, or direct care again when null. */
    public void breakGlass(String reason) {
        this.breakGlass = reason;
    }

    public RealmUser user() {
        return user;
    }

    public IGenericClient client() {
        return client;
    }

    /** Gets the user's token now, so that an unreachable identity provider is reported before any FHIR call. */
    public void logIn() {
        tokens.tokenFor(user);
    }

    /** Issues (or reuses) a token for a realm user. */
    @FunctionalInterface
    public interface TokenSupplier {
        String tokenFor(RealmUser user);
    }
}
