package org.ldrtestbed.scenarios.engine;

import java.net.URI;

/**
 * Where the journey runs: a FHIR base URL and the OIDC issuer that gives its actors their tokens.
 *
 * @param fhirBase e.g. {@code http://localhost:8080/fhir}
 * @param issuer realm URL, e.g. {@code http://localhost:8080/realms/ldr-testbed}
 * @param clientId public client the journey runner logs actors in through
 */
public record TestbedConnection(URI fhirBase, URI issuer, String clientId) {

    public static final String DEFAULT_CLIENT = "testbed-scenarios";

    /** A testbed server whose embedded issuer serves the given realm beside /fhir. */
    public static TestbedConnection forTestbed(String fhirBase, String realm) {
        String root = fhirBase.replaceAll("/+$", "").replaceAll("/fhir$", "");
        return new TestbedConnection(
                URI.create(fhirBase.replaceAll("/+$", "")), URI.create(root + "/realms/" + realm), DEFAULT_CLIENT);
    }
}
