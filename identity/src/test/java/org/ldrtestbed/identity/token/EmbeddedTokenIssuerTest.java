package org.ldrtestbed.identity.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenRequestException;

class EmbeddedTokenIssuerTest {

    private static final String ISSUER = "http://localhost/realms/ldr-testbed";
    private final RealmDefinition realm = RealmFiles.load("classpath:identity/ldr-testbed-realm.json");
    private final EmbeddedTokenIssuer issuer = new EmbeddedTokenIssuer(realm, Duration.ofMinutes(5), Clock.systemUTC());

    @Test
    void passwordGrantCarriesRoleOrganisationAndPractitionerFromTheRealmMappers() throws Exception {
        String token = issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "paramedic.hale", "synthetic-password")
                .accessToken();

        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new RSASSAVerifier(issuer.publicKey()))).isTrue();
        Map<String, Object> claims = jwt.getJWTClaimsSet().getClaims();
        ActorIdentity actor = ActorIdentity.fromClaims(claims);
        assertThat(actor.username()).isEqualTo("paramedic.hale");
        assertThat(actor.roles()).containsExactly("paramedic");
        assertThat(actor.organisation()).isEqualTo("SYNAM");
        assertThat(actor.practitioner()).isEqualTo("900000000104");
        assertThat(actor.nrbacRole()).isEqualTo("R8003");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
    }

    @Test
    void patientTokenNamesThePatient() throws Exception {
        String token = issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "patient.dot", "synthetic-password")
                .accessToken();

        ActorIdentity actor = ActorIdentity.fromClaims(
                SignedJWT.parse(token).getJWTClaimsSet().getClaims());
        assertThat(actor.roles()).containsExactly("patient");
        assertThat(actor.patient()).isEqualTo("9990000077");
        assertThat(actor.organisation()).isNull();
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefusedAlike() {
        assertThatThrownBy(() -> issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "gp.ashdown", "nope"))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_grant");
                    assertThat(e.status()).isEqualTo(401);
                });
        assertThatThrownBy(() -> issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "nobody", "x"))
                .isInstanceOfSatisfying(
                        TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("invalid_grant"));
    }

    @Test
    void clientCredentialsActAsTheServiceAccount() throws Exception {
        String token = issuer.clientCredentials(ISSUER, "mesh-mailbox", "mesh-mailbox-synthetic-secret")
                .accessToken();

        ActorIdentity actor = ActorIdentity.fromClaims(
                SignedJWT.parse(token).getJWTClaimsSet().getClaims());
        assertThat(actor.username()).isEqualTo("service-account-mesh-mailbox");
        assertThat(actor.organisation()).isEqualTo("SYNMX");
    }

    @Test
    void confidentialClientNeedsItsSecretAndPublicClientHasNoServiceAccount() {
        assertThatThrownBy(() -> issuer.clientCredentials(ISSUER, "mesh-mailbox", "wrong"))
                .isInstanceOf(TokenRequestException.class)
                .hasMessageContaining("Invalid client");
        assertThatThrownBy(() -> issuer.clientCredentials(ISSUER, "testbed-scenarios", null))
                .isInstanceOfSatisfying(
                        TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("unauthorized_client"));
    }

    @Test
    void professionalGetsTheUserScopeOnlyWhenAskingForIt() throws Exception {
        Map<String, Object> asked = claims(issuer.passwordGrant(
                ISSUER, "testbed-scenarios", null, "gp.ashdown", "synthetic-password", "openid user/*.cruds"));
        assertThat(scopes(asked)).containsExactlyInAnyOrder("openid", "profile", "user/*.cruds");
        assertThat(asked).containsEntry("given_name", "Ruth").containsEntry("preferred_username", "gp.ashdown");

        Map<String, Object> notAsked =
                claims(issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "gp.ashdown", "synthetic-password"));
        assertThat(scopes(notAsked)).containsExactly("profile");
    }

    @Test
    void patientAsksForThePatientScope() throws Exception {
        EmbeddedTokenIssuer.TokenResponse response = issuer.passwordGrant(
                ISSUER, "testbed-scenarios", null, "patient.dot", "synthetic-password", "openid patient/*.cruds");

        assertThat(scopes(claims(response))).containsExactlyInAnyOrder("openid", "profile", "patient/*.cruds");
        assertThat(response.scope()).isEqualTo("openid profile patient/*.cruds");
    }

    @Test
    void systemScopeIsADefaultOfEveryConfidentialClient() throws Exception {
        for (RealmDefinition.RealmClient client : realm.clients()) {
            if (Boolean.TRUE.equals(client.serviceAccountsEnabled())) {
                Map<String, Object> claims =
                        claims(issuer.clientCredentials(ISSUER, client.clientId(), client.secret()));
                assertThat(scopes(claims)).as(client.clientId()).containsExactlyInAnyOrder("profile", "system/*.cruds");
            }
        }
    }

    @Test
    void scopesTheClientDoesNotOfferAreRefusedAsKeycloakRefusesThem() {
        assertThatThrownBy(() -> issuer.passwordGrant(
                        ISSUER, "testbed-scenarios", null, "gp.ashdown", "synthetic-password", "openid system/*.cruds"))
                .isInstanceOfSatisfying(TokenRequestException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_scope");
                    assertThat(e.status()).isEqualTo(400);
                });
        assertThatThrownBy(() -> issuer.clientCredentials(
                        ISSUER, "mesh-mailbox", "mesh-mailbox-synthetic-secret", "user/*.cruds"))
                .isInstanceOfSatisfying(
                        TokenRequestException.class, e -> assertThat(e.error()).isEqualTo("invalid_scope"));
        // A default scope may be named; it is granted anyway.
        assertThat(issuer.clientCredentials(ISSUER, "mesh-mailbox", "mesh-mailbox-synthetic-secret", "system/*.cruds")
                        .scope())
                .isEqualTo("profile system/*.cruds");
    }

    @Test
    void realmWithoutClientScopesIssuesTokensWithoutAScopeClaim() throws Exception {
        RealmDefinition bare = new RealmDefinition(realm.realm(), realm.users(), realm.clients());
        EmbeddedTokenIssuer bareIssuer = new EmbeddedTokenIssuer(bare, Duration.ofMinutes(5), Clock.systemUTC());

        Map<String, Object> claims = claims(bareIssuer.passwordGrant(
                ISSUER, "testbed-scenarios", null, "gp.ashdown", "synthetic-password", "openid"));

        assertThat(claims).containsEntry("scope", "openid");
    }

    @Test
    void everyTokenNamesTheFhirServerAsItsAudienceFromTheRealmsAudienceMapper() throws Exception {
        SignedJWT user = SignedJWT.parse(
                issuer.passwordGrant(ISSUER, "testbed-scenarios", null, "gp.ashdown", "synthetic-password")
                        .accessToken());
        SignedJWT system =
                SignedJWT.parse(issuer.clientCredentials(ISSUER, "mesh-mailbox", "mesh-mailbox-synthetic-secret")
                        .accessToken());

        assertThat(user.getJWTClaimsSet().getAudience()).containsExactly("ldr-testbed-fhir");
        assertThat(system.getJWTClaimsSet().getAudience()).containsExactly("ldr-testbed-fhir");
        // As Keycloak writes one audience: a string, not an array.
        assertThat(user.getPayload().toJSONObject().get("aud")).isEqualTo("ldr-testbed-fhir");
    }

    @Test
    void authorizationCodeGrantGivesTheTokenThePasswordGrantWouldWithTheSmartAppAsItsParty() throws Exception {
        String verifier = "smart-app-example-verifier-0123456789-abcdefghij";
        String redirect = "http://127.0.0.1:5173/callback";
        RealmDefinition.RealmClient app = issuer.authorizationClient("smart-app-example", redirect);
        issuer.checkAuthorizationRequest(
                app, "code", "openid user/*.cruds", AuthorizationCodes.challengeOf(verifier), "S256");
        String code = issuer.authorize(
                app,
                redirect,
                "openid user/*.cruds",
                AuthorizationCodes.challengeOf(verifier),
                "gp.ashdown",
                "synthetic-password");

        Map<String, Object> viaCode =
                claims(issuer.authorizationCodeGrant(ISSUER, "smart-app-example", null, code, redirect, verifier));
        Map<String, Object> viaPassword = claims(issuer.passwordGrant(
                ISSUER, "testbed-scenarios", null, "gp.ashdown", "synthetic-password", "openid user/*.cruds"));

        assertThat(viaCode.get("azp")).isEqualTo("smart-app-example");
        for (String claim : List.of("sub", "scope", "aud", "roles", "organisation", "practitioner", "nrbac_role")) {
            assertThat(viaCode.get(claim)).as(claim).isEqualTo(viaPassword.get(claim));
        }
    }

    @Test
    void aCodeFlowAskingForOpenidGetsAnIdTokenForTheAppWithItsNonceAndOneWithoutDoesNot() throws Exception {
        String verifier = "smart-app-example-verifier-0123456789-abcdefghij";
        String redirect = "http://127.0.0.1:5173/callback";
        RealmDefinition.RealmClient app = issuer.authorizationClient("smart-app-example", redirect);
        String withOpenid = issuer.authorize(
                app,
                redirect,
                "openid user/*.cruds",
                AuthorizationCodes.challengeOf(verifier),
                "n-0S6_WzA2Mj",
                "gp.ashdown",
                "synthetic-password");

        EmbeddedTokenIssuer.TokenResponse token =
                issuer.authorizationCodeGrant(ISSUER, "smart-app-example", null, withOpenid, redirect, verifier);

        assertThat(token.idToken()).isNotNull();
        SignedJWT id = SignedJWT.parse(token.idToken());
        assertThat(id.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(
                        issuer.publicKeys().getKeys().getFirst().toRSAKey())))
                .isTrue();
        assertThat(id.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
        assertThat(id.getJWTClaimsSet().getSubject()).isEqualTo("gp.ashdown");
        assertThat(id.getJWTClaimsSet().getAudience()).containsExactly("smart-app-example");
        assertThat(id.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(id.getJWTClaimsSet().getStringClaim("fhirUser")).startsWith("Practitioner/");
        assertThat(id.getJWTClaimsSet().getExpirationTime())
                .isAfter(id.getJWTClaimsSet().getIssueTime());

        String withoutOpenid = issuer.authorize(
                app,
                redirect,
                "user/*.cruds",
                AuthorizationCodes.challengeOf(verifier),
                "gp.ashdown",
                "synthetic-password");
        assertThat(issuer.authorizationCodeGrant(ISSUER, "smart-app-example", null, withoutOpenid, redirect, verifier)
                        .idToken())
                .isNull();
    }

    @Test
    void authorizationRequestsAreRefusedAsRfc6749Says() {
        String challenge = AuthorizationCodes.challengeOf("smart-app-example-verifier-0123456789-abcdefghij");
        RealmDefinition.RealmClient app = issuer.authorizationClient("smart-app-example", "http://localhost:3000/cb");

        assertRefusal(() -> issuer.authorizationClient("nobody", "http://localhost:3000/cb"), "invalid_request");
        assertRefusal(
                () -> issuer.authorizationClient("smart-app-example", "https://evil.example/cb"), "invalid_request");
        assertRefusal(
                () -> issuer.authorizationClient("testbed-scenarios", "http://localhost:3000/cb"), "invalid_request");
        assertRefusal(
                () -> issuer.checkAuthorizationRequest(app, "token", null, challenge, "S256"),
                "unsupported_response_type");
        assertRefusal(() -> issuer.checkAuthorizationRequest(app, null, null, challenge, "S256"), "invalid_request");
        assertRefusal(() -> issuer.checkAuthorizationRequest(app, "code", null, challenge, "plain"), "invalid_request");
        assertRefusal(() -> issuer.checkAuthorizationRequest(app, "code", null, null, null), "invalid_request");
        assertRefusal(
                () -> issuer.checkAuthorizationRequest(app, "code", "system/*.cruds", challenge, "S256"),
                "invalid_scope");
        assertRefusal(
                () -> issuer.authorize(app, "http://localhost:3000/cb", null, challenge, "gp.ashdown", "wrong"),
                "invalid_grant");
    }

    private static void assertRefusal(Runnable request, String error) {
        assertThatThrownBy(request::run)
                .isInstanceOfSatisfying(
                        TokenRequestException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    private static Map<String, Object> claims(EmbeddedTokenIssuer.TokenResponse response) throws Exception {
        return SignedJWT.parse(response.accessToken()).getJWTClaimsSet().getClaims();
    }

    private static List<String> scopes(Map<String, Object> claims) {
        return List.of(String.valueOf(claims.get("scope")).split(" "));
    }
}
