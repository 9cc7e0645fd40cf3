package org.ldrtestbed.identity.token;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.identity.TrustedIssuer;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keycloak's OIDC endpoints at Keycloak's paths ({@code /realms/<realm>/...}), served by the embedded issuer, so that
 * clients switch between embedded and real Keycloak by changing one base URL.
 */
@RestController
public class TokenEndpoints {

    private static final String BASIC = "Basic ";

    /** The grants the token endpoint answers, as discovery lists them. */
    public static final List<String> GRANT_TYPES = List.of("authorization_code", "password", "client_credentials");

    private final EmbeddedTokenIssuer issuer;
    private final TrustedIssuer name;

    public TokenEndpoints(EmbeddedTokenIssuer issuer, TrustedIssuer name) {
        this.issuer = issuer;
        this.name = name;
    }

    @GetMapping(path = "/realms/{realm}/.well-known/openid-configuration", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> discovery(@PathVariable String realm) {
        String base = issuerUrl(realm);
        // OpenID Connect Discovery 1.0 §3's required fields, and RFC 8414's for what the issuer does beyond them.
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", base);
        doc.put("authorization_endpoint", base + "/protocol/openid-connect/auth");
        doc.put("token_endpoint", base + "/protocol/openid-connect/token");
        doc.put("jwks_uri", base + "/protocol/openid-connect/certs");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("grant_types_supported", GRANT_TYPES);
        doc.put("code_challenge_methods_supported", List.of(AuthorizationCodes.S256));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        // "none": a public client (a SMART app in the browser) names itself with client_id and proves nothing else.
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic", "none"));
        doc.put(
                "scopes_supported",
                java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("openid"),
                                issuer.realm().clientScopes().stream().map(RealmDefinition.ClientScope::name))
                        .toList());
        return doc;
    }

    @GetMapping(path = "/realms/{realm}/protocol/openid-connect/certs", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> certs(@PathVariable String realm) {
        knownRealm(realm);
        return issuer.publicKeys().toJSONObject(true);
    }

    @PostMapping(
            path = "/realms/{realm}/protocol/openid-connect/token",
            consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> token(
            @PathVariable String realm,
            @RequestParam MultiValueMap<String, String> form,
            @RequestHeader(name = "Authorization", required = false) String authorization) {
        knownRealm(realm);
        ClientCredentials client = ClientCredentials.from(form, authorization);
        String grant = form.getFirst("grant_type");
        EmbeddedTokenIssuer.TokenResponse token = switch (grant == null ? "" : grant) {
            case "password" ->
                issuer.passwordGrant(
                        issuerUrl(realm),
                        client.id(),
                        client.secret(),
                        form.getFirst("username"),
                        form.getFirst("password"),
                        form.getFirst("scope"));
            case "client_credentials" ->
                issuer.clientCredentials(issuerUrl(realm), client.id(), client.secret(), form.getFirst("scope"));
            case "authorization_code" ->
                issuer.authorizationCodeGrant(
                        issuerUrl(realm),
                        client.id(),
                        client.secret(),
                        form.getFirst("code"),
                        form.getFirst("redirect_uri"),
                        form.getFirst("code_verifier"));
            default ->
                throw new TokenRequestException("unsupported_grant_type", "Unsupported grant_type " + grant, 400);
        };
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", token.accessToken());
        answer.put("token_type", token.tokenType());
        answer.put("expires_in", token.expiresIn());
        if (!token.scope().isEmpty()) {
            answer.put("scope", token.scope());
        }
        if (token.idToken() != null) {
            answer.put("id_token", token.idToken());
        }
        return answer;
    }

    @ExceptionHandler(TokenRequestException.class)
    public ResponseEntity<Map<String, String>> refused(TokenRequestException e) {
        return ResponseEntity.status(e.status())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.error(), "error_description", e.getMessage()));
    }

    private void knownRealm(String realm) {
        if (!issuer.realm().realm().equals(realm)) {
            throw new TokenRequestException("invalid_request", "Realm does not exist", 404);
        }
    }

    /** The configured name, never the host a request names: a token must not say it came from elsewhere. */
    private String issuerUrl(String realm) {
        knownRealm(realm);
        return name.name();
    }

    record ClientCredentials(String id, String secret) {

        /**
         * The client's credentials from HTTP Basic (RFC 6749 section 2.3.1) or the form. A Basic header that is not
         * base64 of {@code id:secret} is refused as Keycloak does, with {@code invalid_client}.
         */
        static ClientCredentials from(MultiValueMap<String, String> form, String authorization) {
            if (authorization != null && authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
                String decoded;
                try {
                    decoded = new String(
                            Base64.getDecoder()
                                    .decode(authorization
                                            .substring(BASIC.length())
                                            .trim()),
                            StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw malformed();
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw malformed();
                }
                return new ClientCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
            }
            return new ClientCredentials(form.getFirst("client_id"), form.getFirst("client_secret"));
        }

        private static TokenRequestException malformed() {
            return new TokenRequestException("invalid_client", "Invalid client credentials", 401);
        }
    }
}
