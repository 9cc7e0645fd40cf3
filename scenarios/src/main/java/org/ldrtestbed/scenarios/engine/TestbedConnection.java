package org.ldrtestbed.scenarios.engine;

import java.net.URI;

/**
 * Where the journey runs: a FHIR base URL and the OIDC issuer that gives its actors their tokens.
 *
 * @param fhirBase e.g. {@code http://localhost:8080/fhir}
 * @param issuer realm URL, e.g. {@code http://localhost:8080/realms/ldr-testbed}
 * @param clientId public client the journey runner logs actors in through
 * @param mllp where hospital systems send HL7v2 ({@code mllp://host:port}), or null when the server has none
 */
public record TestbedConnection(URI fhirBase, URI issuer, String clientId, URI mllp) {

    public static final String DEFAULT_CLIENT = "testbed-scenarios";
    public static final int DEFAULT_MLLP_PORT = 2575;

    /** A testbed server whose embedded issuer serves the given realm beside /fhir. */
    public static TestbedConnection forTestbed(String fhirBase, String realm) {
        String root = fhirBase.replaceAll("/+$", "").replaceAll("/fhir$", "");
        return new TestbedConnection(
                URI.create(fhirBase.replaceAll("/+$", "")),
                URI.create(root + "/realms/" + realm),
                DEFAULT_CLIENT,
                URI.create("mllp://" + URI.create(fhirBase).getHost() + ":" + DEFAULT_MLLP_PORT));
    }

    /** The same testbed, with its MLLP listener on another address. */
    public TestbedConnection withMllp(URI mllp) {
        return new TestbedConnection(fhirBase, issuer, clientId, mllp);
    }
}
