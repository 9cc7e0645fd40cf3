package org.ldrtestbed.fhirserver.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ldrtestbed.identity.TrustedIssuer;
import org.ldrtestbed.identity.contract.RealmDefinition;

/**
 * SMART App Launch discovery ({@code GET /fhir/.well-known/smart-configuration}), pointing at whichever issuer the
 * server trusts: a real Keycloak in {@code keycloak} mode, otherwise the embedded issuer at this server's
 * {@code /realms/<realm>}; by its configured name ({@link TrustedIssuer}), never after the host a request names. A servlet mapped to the exact path, because the HAPI servlet owns {@code /fhir/*} and an
 * exact mapping is the only one that wins over it.
 */
public final class SmartConfigurationServlet extends HttpServlet {

    public static final String PATH = "/fhir/.well-known/smart-configuration";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient TrustedIssuer issuer;
    private final transient RealmDefinition realm;

    public SmartConfigurationServlet(TrustedIssuer issuer, RealmDefinition realm) {
        this.issuer = issuer;
        this.realm = realm;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), document(issuer.name()));
    }

    /**
     * SMART App Launch 2.x §2.1's required fields, and the optional ones that are true. Capabilities claimed are
     * only those that work against the embedded issuer and the realm file a real Keycloak imports: standalone launch
     * with the authorization code grant and PKCE S256 (a public client, {@code smart-app-example}), confidential
     * clients with a secret (client credentials), and v2 scopes. Not claimed: EHR launch, launch context
     * (no patient picker), {@code sso-openid-connect} (no id_token is issued), v1 scopes (the realm grants none).
     */
    Map<String, Object> document(String issuer) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", issuer + "/protocol/openid-connect/certs");
        doc.put("authorization_endpoint", issuer + "/protocol/openid-connect/auth");
        doc.put("token_endpoint", issuer + "/protocol/openid-connect/token");
        doc.put("grant_types_supported", List.of("authorization_code", "client_credentials", "password"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        doc.put(
                "scopes_supported",
                Stream.concat(Stream.of("openid"), realm.clientScopes().stream().map(RealmDefinition.ClientScope::name))
                        .toList());
        doc.put("response_types_supported", List.of("code"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put(
                "capabilities",
                List.of("launch-standalone", "client-public", "client-confidential-symmetric", "permission-v2"));
        return doc;
    }
}
