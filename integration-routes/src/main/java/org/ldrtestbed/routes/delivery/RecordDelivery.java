package org.ldrtestbed.routes.delivery;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.net.URI;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.identity.contract.TokenClient;

/**
 * Delivers a filing transaction into the shared record as the receiving system would, with that system's own
 * client-credentials token. A 4xx answer means the message can never be applied as it stands and is reported as
 * invalid; other failures are left to the route's retries.
 */
public final class RecordDelivery {

    private final FhirContext fhirContext;
    private final SharedRecordEndpoint endpoint;
    private final String clientId;
    private final String clientSecret;
    private volatile TokenClient tokens;

    public RecordDelivery(
            FhirContext fhirContext, SharedRecordEndpoint endpoint, String clientId, String clientSecret) {
        this.fhirContext = fhirContext;
        this.endpoint = endpoint;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    /** Whether the recipient's record already holds what {@code query} finds (a search, always fresh). */
    public boolean exists(String query) {
        try {
            return client().search()
                            .byUrl(query + (query.contains("?") ? "&" : "?") + "_summary=count")
                            .returnBundle(Bundle.class)
                            .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                            .execute()
                            .getTotal()
                    > 0;
        } catch (BaseServerResponseException e) {
            throw refusedOrRetry(e);
        }
    }

    /** What {@code query} finds in the recipient's record (a search, always fresh), first page. */
    public Bundle search(String query) {
        try {
            return client().search()
                    .byUrl(query)
                    .returnBundle(Bundle.class)
                    .cacheControl(new ca.uhn.fhir.rest.api.CacheControlDirective().setNoCache(true))
                    .execute();
        } catch (BaseServerResponseException e) {
            throw refusedOrRetry(e);
        }
    }

    public Bundle deliver(Bundle transaction) {
        IGenericClient client = client();
        try {
            return client.transaction().withBundle(transaction).execute();
        } catch (BaseServerResponseException e) {
            throw refusedOrRetry(e);
        }
    }

    /** Reads one resource of the recipient's record, e.g. the Patient a message names by reference. */
    public <T extends org.hl7.fhir.instance.model.api.IBaseResource> T read(Class<T> type, String reference) {
        try {
            return client().read().resource(type).withUrl(reference).execute();
        } catch (BaseServerResponseException e) {
            throw refusedOrRetry(e);
        }
    }

    /**
     * Puts a tag on a resource of the recipient's record ({@code present}) or takes it off; both are idempotent, so
     * a redelivered message changes nothing.
     */
    public void tag(String reference, org.hl7.fhir.r4.model.Coding tag, boolean present) {
        org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(reference);
        org.hl7.fhir.r4.model.Meta meta = new org.hl7.fhir.r4.model.Meta().addTag(tag);
        try {
            if (present) {
                client().meta().add().onResource(id).meta(meta).execute();
            } else {
                client().meta().delete().onResource(id).meta(meta).execute();
            }
        } catch (BaseServerResponseException e) {
            throw refusedOrRetry(e);
        }
    }

    private IGenericClient client() {
        IGenericClient client = fhirContext.newRestfulGenericClient(endpoint.fhirBaseUrl());
        client.registerInterceptor(new BearerTokenAuthInterceptor(tokens().forClient(clientId, clientSecret)));
        return client;
    }

    /**
     * A 4xx means the message can never be applied, except timeouts, throttling, expired tokens, and conflicts (409,
     * 412): two deliveries of one message racing to the same conditional create, or a version that moved on; a
     * retry reads the record afresh and then applies nothing twice.
     */
    private static RuntimeException refusedOrRetry(BaseServerResponseException e) {
        int status = e.getStatusCode();
        if (status >= 400
                && status < 500
                && !java.util.Set.of(401, 408, 409, 412, 429).contains(status)) {
            return new InvalidMessageException(
                    "The receiving record refused the message (HTTP " + status + "): " + e.getMessage());
        }
        return e;
    }

    /**
     * What a transaction response says was applied: {@code 201 Created} for new resources, {@code 200 OK} where a
     * conditional create found the resource already there (a redelivered message).
     */
    public static String summarise(Bundle response) {
        return response.getEntry().stream()
                .map(e -> e.getResponse().getStatus() + " " + e.getResponse().getLocation())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    private TokenClient tokens() {
        // Lazy: the issuer URL is known only once the hosting server has its port.
        if (tokens == null) {
            tokens = new TokenClient(URI.create(endpoint.issuerUrl()));
        }
        return tokens;
    }
}
