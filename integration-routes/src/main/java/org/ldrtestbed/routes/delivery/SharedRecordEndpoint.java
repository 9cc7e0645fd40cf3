package org.ldrtestbed.routes.delivery;

/** Where the shared care record and its identity provider are; supplied by the application hosting the routes. */
public interface SharedRecordEndpoint {

    /** FHIR base URL, e.g. {@code http://localhost:8080/fhir}. */
    String fhirBaseUrl();

    /** OIDC issuer (realm URL) that issues the delivering system's token. */
    String issuerUrl();
}
