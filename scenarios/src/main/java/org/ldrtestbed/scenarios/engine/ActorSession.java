package org.ldrtestbed.scenarios.engine;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;

/**
 * A FHIR client acting as one realm user: every request carries that user's bearer token and the journey run's id.
 */
public final class ActorSession {

    /** Header naming the journey run behind a request; the server carries it into flow messages. */
    public static final String JOURNEY_HEADER = Headers.JOURNEY;

    /** Header giving the journey's clock at the request; the server believes it from the journey client only. */
    public static final String SIMULATED_TIME_HEADER = Headers.SIMULATED_TIME;

    private final RealmUser user;
    private final IGenericClient client;
    private final TokenSupplier tokens;
    private volatile String breakGlass;
    /** What the server said granted this thread's requests since it last asked (an assertion's checks). */
    private final ThreadLocal<Set<String>> careRelationships = ThreadLocal.withInitial(LinkedHashSet::new);

    /** Response header naming the care relationship that let the actor see what a response shows. */
    public static final String CARE_RELATIONSHIP_HEADER = Headers.CARE_RELATIONSHIP;

    /** @param journeyTime the journey's clock, sent with every request */
    ActorSession(
            FhirContext fhirContext,
            TestbedConnection connection,
            RealmUser user,
            TokenSupplier tokens,
            String runId,
            Supplier<Instant> journeyTime) {
        this.user = user;
        this.tokens = tokens;
        this.client = fhirContext.newRestfulGenericClient(connection.fhirBase().toString());
        this.client.registerInterceptor(new IClientInterceptor() {
            @Override
            public void interceptRequest(IHttpRequest request) {
                request.addHeader("Authorization", "Bearer " + tokens.tokenFor(user));
                request.addHeader(JOURNEY_HEADER, runId);
                request.addHeader(SIMULATED_TIME_HEADER, journeyTime.get().toString());
                String reason = breakGlass;
                if (reason != null) {
                    request.addHeader(Headers.BREAK_GLASS_REASON, reason);
                }
            }

            @Override
            public void interceptResponse(IHttpResponse response) {
                List<String> granted = response.getHeaders(CARE_RELATIONSHIP_HEADER);
                if (granted != null) {
                    careRelationships.get().addAll(granted);
                }
            }
        });
    }

    /** Emergency access with this reason for the requests that follow, or direct care again when null. */
    public void breakGlass(String reason) {
        this.breakGlass = reason;
    }

    /** The care relationships named since the last call, in the order first named; then forgets them. */
    public List<String> takeCareRelationships() {
        Set<String> named = careRelationships.get();
        List<String> taken = List.copyOf(named);
        named.clear();
        return taken;
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
