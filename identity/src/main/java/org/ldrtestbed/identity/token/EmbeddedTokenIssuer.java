package org.ldrtestbed.identity.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.ClientScope;
import org.ldrtestbed.identity.contract.RealmDefinition.ProtocolMapper;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmClient;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.TokenRequestException;
import org.ldrtestbed.identity.people.RunPeople;

/**
 * Issues Keycloak-shaped access tokens from the realm file, so a fresh clone runs without a Keycloak server. It
 * implements only what the realm uses: the password, client-credentials and authorization-code (with PKCE, for SMART
 * apps) grants, the client's default and optional client scopes (the token's {@code scope} claim, e.g. SMART's
 * {@code user/*.cruds}), and the user-attribute and realm-role protocol mappers of the requesting client and of its
 * granted scopes, and the audience mapper (a custom audience in the {@code aud} claim).
 */
public final class EmbeddedTokenIssuer {

    static final String ATTRIBUTE_MAPPER = "oidc-usermodel-attribute-mapper";
    static final String REALM_ROLE_MAPPER = "oidc-usermodel-realm-role-mapper";
    static final String AUDIENCE_MAPPER = "oidc-audience-mapper";
    /** The token claim listing the granted scopes, space-separated (RFC 8693 §4.2, as Keycloak writes it). */
    public static final String CLAIM_SCOPE = "scope";

    private static final String OPENID = "openid";

    private final RealmDefinition realm;
    private final RSAKey signingKey;
    private final Duration lifetime;
    private final Clock clock;
    private final RunPeople people;
    private final AuthorizationCodes codes;

    public EmbeddedTokenIssuer(RealmDefinition realm, Duration lifetime, Clock clock) {
        this(realm, lifetime, clock, new RunPeople(realm));
    }

    /** @param people the journey runs' own people, logged in beside the realm's users while their run lasts */
    public EmbeddedTokenIssuer(RealmDefinition realm, Duration lifetime, Clock clock, RunPeople people) {
        this.realm = realm;
        this.people = people;
        this.lifetime = lifetime;
        this.clock = clock;
        this.codes = new AuthorizationCodes(clock);
        try {
            // A fresh key per process: tokens do not outlive the testbed that issued them.
            this.signingKey = new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .keyID(UUID.randomUUID().toString())
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot generate the token signing key", e);
        }
    }

    public RealmDefinition realm() {
        return realm;
    }

    public RSAPublicKey publicKey() {
        try {
            return signingKey.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public JWKSet publicKeys() {
        return new JWKSet(signingKey.toPublicJWK());
    }

    /** Resource-owner password grant without a {@code scope} parameter: the client's default scopes only. */
    public TokenResponse passwordGrant(
            String issuer, String clientId, String clientSecret, String username, String password) {
        return passwordGrant(issuer, clientId, clientSecret, username, password, null);
    }

    /**
     * Resource-owner password grant, as the journey runner uses for each professional and patient.
     *
     * @param scope the request's space-separated {@code scope} parameter (may be null): optional client scopes it
     *     names are granted; a name that is not {@code openid} nor one of the client's scopes is refused with
     *     {@code invalid_scope}, as Keycloak 26 does
     */
    public TokenResponse passwordGrant(
            String issuer, String clientId, String clientSecret, String username, String password, String scope) {
        RealmClient client = authenticateClient(clientId, clientSecret);
        if (!Boolean.TRUE.equals(client.directAccessGrantsEnabled())) {
            throw new TokenRequestException("unauthorized_client", "Client not allowed for direct access grants", 400);
        }
        return issue(issuer, client, signIn(username, password), scope);
    }

    /** A realm user or a run's person, enabled, with that password; as the password grant and the sign-in form check. */
    private RealmUser signIn(String username, String password) {
        return user(username)
                .filter(u -> u.hasPassword(password))
                .orElseThrow(() -> new TokenRequestException("invalid_grant", "Invalid user credentials", 401));
    }

    private Optional<RealmUser> user(String username) {
        return realm.user(username).or(() -> people.user(username)).filter(RealmUser::isEnabled);
    }

    /**
     * The client of an authorization request, if it exists and registered that redirect URI. A refusal here must not
     * be sent to the redirect URI (RFC 6749 §4.1.2.1): the user agent is shown it instead.
     */
    public RealmClient authorizationClient(String clientId, String redirectUri) {
        RealmClient client = realm.client(clientId)
                .orElseThrow(() -> new TokenRequestException("invalid_request", "Client not found", 400));
        if (!RedirectUris.registered(client.redirectUris(), redirectUri)) {
            throw new TokenRequestException("invalid_request", "Invalid parameter: redirect_uri", 400);
        }
        return client;
    }

    /**
     * The rest of an authorization request from a client whose redirect URI is registered: the response type, the
     * client's right to the code flow, PKCE (S256) and the scopes. A refusal here goes back to the redirect URI.
     */
    public void checkAuthorizationRequest(
            RealmClient client, String responseType, String scope, String codeChallenge, String challengeMethod) {
        if (responseType == null || responseType.isEmpty()) {
            throw new TokenRequestException("invalid_request", "Missing parameter: response_type", 400);
        }
        if (!"code".equals(responseType)) {
            throw new TokenRequestException(
                    "unsupported_response_type", "Unsupported response_type " + responseType, 400);
        }
        if (Boolean.FALSE.equals(client.standardFlowEnabled())) {
            throw new TokenRequestException(
                    "unauthorized_client", "Client is not allowed to initiate browser login (standard flow)", 400);
        }
        AuthorizationCodes.checkChallenge(codeChallenge, challengeMethod);
        grantedScopes(client, requestedScopes(scope), scope);
    }

    /**
     * The user signed in at the authorization endpoint: checks the password as the password grant does, and issues a
     * code for the (already checked) request.
     *
     * @throws TokenRequestException {@code invalid_grant} for an unknown user or a wrong password
     */
    public String authorize(
            RealmClient client,
            String redirectUri,
            String scope,
            String codeChallenge,
            String username,
            String password) {
        return authorize(client, redirectUri, scope, codeChallenge, null, username, password);
    }

    /** As {@link #authorize(RealmClient, String, String, String, String, String)}, keeping the request's nonce. */
    public String authorize(
            RealmClient client,
            String redirectUri,
            String scope,
            String codeChallenge,
            String nonce,
            String username,
            String password) {
        RealmUser user = signIn(username, password);
        return codes.issue(new AuthorizationCodes.Grant(
                client.clientId(), redirectUri, user.username(), scope, codeChallenge, nonce));
    }

    /**
     * Authorization-code grant (RFC 6749 §4.1.3 with RFC 7636's verifier): the token the password grant would give
     * the user who signed in, with the scopes of the authorization request.
     */
    public TokenResponse authorizationCodeGrant(
            String issuer, String clientId, String clientSecret, String code, String redirectUri, String codeVerifier) {
        RealmClient client = authenticateClient(clientId, clientSecret);
        AuthorizationCodes.Grant grant = codes.redeem(code, clientId, redirectUri, codeVerifier);
        RealmUser user = user(grant.username())
                .orElseThrow(() -> new TokenRequestException("invalid_grant", "User not found or disabled", 400));
        TokenResponse token = issue(issuer, client, user, grant.scope());
        if (!requestedScopes(grant.scope()).contains("openid")) {
            return token;
        }
        // OpenID Connect Core §3.1.3.3: a code flow that asked for openid gets an ID token for the client.
        return new TokenResponse(
                token.accessToken(),
                token.tokenType(),
                token.expiresIn(),
                token.scope(),
                idToken(issuer, client, user, grant.nonce()));
    }

    private String idToken(String issuer, RealmClient client, RealmUser user, String nonce) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user.username())
                .audience(client.clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("auth_time", now.getEpochSecond())
                .claim("azp", client.clientId())
                .claim("preferred_username", user.username());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        user.attribute("practitioner").ifPresent(p -> claims.claim("fhirUser", "Practitioner/" + p));
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(signingKey.getKeyID())
                            .build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign ID token", e);
        }
    }

    /** Client-credentials grant without a {@code scope} parameter: the client's default scopes only. */
    public TokenResponse clientCredentials(String issuer, String clientId, String clientSecret) {
        return clientCredentials(issuer, clientId, clientSecret, null);
    }

    /** Client-credentials grant for supplier and national-service systems, acting as their service account. */
    public TokenResponse clientCredentials(String issuer, String clientId, String clientSecret, String scope) {
        RealmClient client = authenticateClient(clientId, clientSecret);
        if (!Boolean.TRUE.equals(client.serviceAccountsEnabled())) {
            throw new TokenRequestException(
                    "unauthorized_client", "Client not enabled to retrieve service account", 401);
        }
        RealmUser account = realm.users().stream()
                .filter(u -> clientId.equals(u.serviceAccountClientId()))
                .findFirst()
                .orElseThrow(() ->
                        new TokenRequestException("invalid_client", "No service account for client " + clientId, 401));
        return issue(issuer, client, account, scope);
    }

    private RealmClient authenticateClient(String clientId, String clientSecret) {
        RealmClient client = realm.client(clientId)
                .orElseThrow(() -> new TokenRequestException("invalid_client", "Invalid client credentials", 401));
        boolean isPublic = Boolean.TRUE.equals(client.publicClient());
        if (!isPublic && (client.secret() == null || !client.secret().equals(clientSecret))) {
            throw new TokenRequestException("unauthorized_client", "Invalid client or Invalid client credentials", 401);
        }
        return client;
    }

    private TokenResponse issue(String issuer, RealmClient client, RealmUser user, String requestedScope) {
        Set<String> requested = requestedScopes(requestedScope);
        List<ClientScope> granted = grantedScopes(client, requested, requestedScope);
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user.username())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .claim("azp", client.clientId())
                .claim("typ", "Bearer")
                .claim(ActorIdentity.CLAIM_USERNAME, user.username());
        List<ProtocolMapper> mappers = new ArrayList<>(client.protocolMappers());
        granted.forEach(s -> mappers.addAll(s.protocolMappers()));
        mappedClaims(mappers, user).forEach(claims::claim);
        String scopeClaim = scopeClaim(requested, granted);
        if (!scopeClaim.isEmpty()) {
            claims.claim(CLAIM_SCOPE, scopeClaim);
        }
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(signingKey.getKeyID())
                            .build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signingKey));
            return new TokenResponse(jwt.serialize(), "Bearer", lifetime.toSeconds(), scopeClaim);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
    }

    static Set<String> requestedScopes(String scopeParameter) {
        if (scopeParameter == null || scopeParameter.isEmpty()) {
            return Set.of();
        }
        return new LinkedHashSet<>(List.of(scopeParameter.split(" ", -1)));
    }

    /**
     * The client's default scopes, then the optional ones the request names. Like Keycloak 26, a request naming any
     * scope other than {@code openid} and the client's own default and optional scopes is refused.
     */
    List<ClientScope> grantedScopes(RealmClient client, Set<String> requested, String scopeParameter) {
        List<ClientScope> defaults = realm.defaultScopesOf(client);
        List<ClientScope> optional = realm.optionalScopesOf(client);
        for (String name : requested) {
            boolean known = OPENID.equals(name)
                    || defaults.stream().anyMatch(s -> s.name().equals(name))
                    || optional.stream().anyMatch(s -> s.name().equals(name));
            if (!known) {
                throw new TokenRequestException("invalid_scope", "Invalid scopes: " + scopeParameter, 400);
            }
        }
        List<ClientScope> granted = new ArrayList<>(defaults);
        optional.stream().filter(s -> requested.contains(s.name())).forEach(granted::add);
        return granted;
    }

    /** As Keycloak writes it: {@code openid} when asked for, then the granted scopes that go into the claim. */
    static String scopeClaim(Set<String> requested, List<ClientScope> granted) {
        List<String> names = new ArrayList<>();
        if (requested.contains(OPENID)) {
            names.add(OPENID);
        }
        granted.stream()
                .filter(ClientScope::includedInTokenScope)
                .map(ClientScope::name)
                .forEach(names::add);
        return String.join(" ", names);
    }

    static Map<String, Object> mappedClaims(List<ProtocolMapper> mappers, RealmUser user) {
        Map<String, Object> claims = new LinkedHashMap<>();
        List<String> audiences = new ArrayList<>();
        for (ProtocolMapper mapper : mappers) {
            String audience = mapper.config().get("included.custom.audience");
            if (AUDIENCE_MAPPER.equals(mapper.protocolMapper())
                    && audience != null
                    && "true".equals(mapper.config().getOrDefault("access.token.claim", "true"))
                    && !audiences.contains(audience)) {
                audiences.add(audience);
            }
            String claimName = mapper.config().get("claim.name");
            if (claimName == null || !"true".equals(mapper.config().getOrDefault("access.token.claim", "true"))) {
                continue;
            }
            switch (mapper.protocolMapper()) {
                case ATTRIBUTE_MAPPER -> {
                    List<String> values = attributeValues(user, mapper.config().get("user.attribute"));
                    if (values != null && !values.isEmpty()) {
                        claims.put(
                                claimName,
                                "true".equals(mapper.config().get("multivalued")) ? values : values.getFirst());
                    }
                }
                case REALM_ROLE_MAPPER -> claims.put(claimName, user.realmRoles());
                default -> {
                    // Other Keycloak mappers are not used by the testbed realm.
                }
            }
        }
        if (!audiences.isEmpty()) {
            // As Keycloak writes it: a string for one audience, an array for several.
            claims.put("aud", audiences.size() == 1 ? audiences.getFirst() : audiences);
        }
        return claims;
    }

    /** Keycloak reads the user's built-in properties through the same attribute mapper as custom attributes. */
    private static List<String> attributeValues(RealmUser user, String attribute) {
        if (attribute == null) {
            return null;
        }
        return switch (attribute) {
            case "username" -> List.of(user.username());
            case "firstName" -> user.firstName() == null ? null : List.of(user.firstName());
            case "lastName" -> user.lastName() == null ? null : List.of(user.lastName());
            default -> user.attributes().get(attribute);
        };
    }

    /** The token endpoint's answer, in OAuth 2.0 field names. */
    /** @param idToken an OpenID Connect ID token, for a code flow that asked for {@code openid}; else null */
    public record TokenResponse(String accessToken, String tokenType, long expiresIn, String scope, String idToken) {

        public TokenResponse(String accessToken, String tokenType, long expiresIn, String scope) {
            this(accessToken, tokenType, expiresIn, scope, null);
        }
    }
}
