package org.ldrtestbed.fhirserver.testsupport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;

/** Talks to a running testbed as its synthetic users, as integration tests need to. */
public final class TestbedClient {

    public static final FhirContext FHIR = FhirContext.forR4Cached();
    public static final String PASSWORD = "synthetic-password";

    static {
        // No metadata request before each client's first call, and room for a busy machine: a test waits for its
        // answer rather than failing on a 10 s read timeout while other builds load the cores.
        FHIR.getRestfulClientFactory()
                .setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
        FHIR.getRestfulClientFactory().setSocketTimeout(60_000);
    }

    private final String root;
    private final TokenClient tokens;

    public TestbedClient(int port) {
        this.root = "http://localhost:" + port;
        this.tokens = new TokenClient(URI.create(root + "/realms/ldr-testbed"));
    }

    public String token(String username) {
        return tokens.forUser("testbed-scenarios", username, PASSWORD);
    }

    /**
     * Calls a {@code /testbed/...} path as the testbed's administrator ({@code digitallead.okonjo}), asserting the
     * status; the JSON answer, or an empty object for none.
     */
    public com.fasterxml.jackson.databind.JsonNode admin(
            String method, String path, com.fasterxml.jackson.databind.JsonNode body, int expectedStatus)
            throws java.io.IOException, InterruptedException {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(root + path))
                .header("Authorization", "Bearer " + token("digitallead.okonjo"))
                .method(
                        method,
                        body == null
                                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                : java.net.http.HttpRequest.BodyPublishers.ofString(
                                        ADMIN_JSON.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(response.statusCode())
                .as(method + " " + path + ": " + response.body())
                .isEqualTo(expectedStatus);
        return response.body().isEmpty() ? ADMIN_JSON.createObjectNode() : ADMIN_JSON.readTree(response.body());
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ADMIN_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    public IGenericClient as(String username) {
        return as(username, null);
    }

    /** A FHIR client acting as the user, naming the journey run on every request when one is given. */
    public IGenericClient as(String username, String journey) {
        IGenericClient client = FHIR.newRestfulGenericClient(root + "/fhir");
        client.registerInterceptor(new BearerTokenAuthInterceptor(token(username)));
        if (journey != null) {
            client.registerInterceptor(new AdditionalRequestHeadersInterceptor(
                    Map.of(FlowTriggerInterceptor.JOURNEY_HEADER, List.of(journey))));
        }
        return client;
    }

    /** Writes the resource as the user; its reference without version, e.g. {@code Condition/12}. */
    public String create(String username, IBaseResource resource) {
        return as(username)
                .create()
                .resource(resource)
                .execute()
                .getId()
                .toUnqualifiedVersionless()
                .getValue();
    }

    /**
     * How many resources a search finds that the GP may see, never from HAPI's search cache. Counted from the
     * entries: the access policy gives restricted readers no totals.
     */
    public int count(String query) {
        IGenericClient gp = as("gp.ashdown");
        Bundle page = search(query + (query.contains("?") ? "&" : "?") + "_count=200");
        int found = 0;
        while (true) {
            found += (int) page.getEntry().stream()
                    .filter(e -> e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME)
                    .count();
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return found;
            }
            page = gp.loadPage().next(page).execute();
        }
    }

    public Bundle search(String query) {
        return as("gp.ashdown")
                .search()
                .byUrl(query)
                .returnBundle(Bundle.class)
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .execute();
    }

    /** Registers a new synthetic patient with the GP practice SYNG09; returns the NHS number. */
    public String registerPatient() {
        String nhs = NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
        patient.addName().setFamily("Test-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        as("gp.ashdown").create().resource(patient).execute();
        return nhs;
    }
}
