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
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.realm.RealmDefinition;
import org.ldrtestbed.identity.realm.RealmDefinition.ProtocolMapper;
import org.ldrtestbed.identity.realm.RealmDefinition.RealmClient;
import org.ldrtestbed.identity.realm.RealmDefinition.RealmUser;

/**
 * Issues Keycloak-shaped access tokens from the realm file, so a fresh clone runs without a Keycloak server. It
 * implements only what the realm uses: the password and client-credentials grants, and the user-attribute and
 * realm-role protocol mappers of the requesting client.
 */
public final class EmbeddedTokenIssuer {

    static final String ATTRIBUTE_MAPPER = "oidc-usermodel-attribute-mapper";
    static final String REALM_ROLE_MAPPER = "oidc-usermodel-realm-role-mapper";

    private final RealmDefinition realm;
    private final RSAKey signingKey;
    private final Duration lifetime;
    private final Clock clock;

    public EmbeddedTokenIssuer(RealmDefinition realm, Duration lifetime, Clock clock) {
        this.realm = realm;
        this.lifetime = lifetime;
        this.clock = clock;
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

    /** Resource-owner password grant, as the journey runner uses for each professional. */
    public TokenResponse passwordGrant(
            String issuer, String clientId, String clientSecret, String username, String password) {
        RealmClient client = authenticateClient(clientId, clientSecret);
        if (!Boolean.TRUE.equals(client.directAccessGrantsEnabled())) {
            throw new TokenRequestException("unauthorized_client", "Client not allowed for direct access grants", 400);
        }
        RealmUser user = realm.user(username)
                .filter(RealmUser::isEnabled)
                .filter(u -> u.hasPassword(password))
                .orElseThrow(() -> new TokenRequestException("invalid_grant", "Invalid user credentials", 401));
        return issue(issuer, client, user);
    }

    /** Client-credentials grant for supplier and national-service systems, acting as their service account. */
    public TokenResponse clientCredentials(String issuer, String clientId, String clientSecret) {
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
        return issue(issuer, client, account);
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

    private TokenResponse issue(String issuer, RealmClient client, RealmUser user) {
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
        mappedClaims(client, user).forEach(claims::claim);
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(signingKey.getKeyID())
                            .build(),
                    claims.build());
            jwt.sign(new RSASSASigner(signingKey));
            return new TokenResponse(jwt.serialize(), "Bearer", lifetime.toSeconds());
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign token", e);
        }
    }

    static Map<String, Object> mappedClaims(RealmClient client, RealmUser user) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (ProtocolMapper mapper : client.protocolMappers()) {
            String claimName = mapper.config().get("claim.name");
            if (claimName == null || !"true".equals(mapper.config().getOrDefault("access.token.claim", "true"))) {
                continue;
            }
            switch (mapper.protocolMapper()) {
                case ATTRIBUTE_MAPPER -> {
                    List<String> values = user.attributes().get(mapper.config().get("user.attribute"));
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
        return claims;
    }

    /** The token endpoint's answer, in OAuth 2.0 field names. */
    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {}
}
