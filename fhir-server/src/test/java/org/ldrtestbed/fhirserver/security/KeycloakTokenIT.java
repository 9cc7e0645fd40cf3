package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.RealKeycloak;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmClient;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.identity.keycloak.KeycloakServer;
import org.ldrtestbed.identity.smart.SmartScopes;
import org.ldrtestbed.identity.token.EmbeddedTokenIssuer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The realm file against a real Keycloak: Keycloak and the embedded issuer give every user and system the same
 * claims and SMART scopes, and the testbed in {@code keycloak} mode serves Keycloak's tokens, enforces their scopes and
 * refuses tokens it did not issue.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class KeycloakTokenIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PUBLIC_CLIENT = "testbed-scenarios";
    private static final List<String> COMPARED_CLAIMS = List.of(
            ActorIdentity.CLAIM_USERNAME,
            ActorIdentity.CLAIM_ORGANISATION,
            ActorIdentity.CLAIM_PRACTITIONER,
            ActorIdentity.CLAIM_NRBAC_ROLE,
            ActorIdentity.CLAIM_PATIENT,
            ActorIdentity.CLAIM_PROXY_FOR);

    private static KeycloakServer keycloak;
    private static TokenClient keycloakTokens;
    private static final RealmDefinition REALM = RealmFiles.load("classpath:" + RealKeycloak.REALM_RESOURCE);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @BeforeAll
    static void startKeycloak() {
        keycloak = RealKeycloak.get();
        keycloakTokens = new TokenClient(keycloak.issuer());
        System.out.printf("Keycloak start time: %d ms%n", keycloak.startedIn().toMillis());
    }

    @DynamicPropertySource
    static void trustKeycloak(DynamicPropertyRegistry registry) {
        RealKeycloak.trustFrom(registry);
    }

    @Test
    void keycloakAndTheEmbeddedIssuerGiveEveryUserAndSystemTheSameClaims() throws Exception {
        EmbeddedTokenIssuer embedded = new EmbeddedTokenIssuer(REALM, Duration.ofMinutes(5), Clock.systemUTC());
        String issuer = keycloak.issuer().toString();
        int compared = 0;
        for (RealmUser user : REALM.users()) {
            if (user.credentials().isEmpty() || !user.isEnabled()) {
                continue;
            }
            String password = user.credentials().getFirst().value();
            String scope = SmartScopes.requestFor(user.realmRoles());
            Map<String, Object> fromKeycloak =
                    claims(keycloakTokens.forUser(PUBLIC_CLIENT, user.username(), password, scope));
            Map<String, Object> fromEmbedded =
                    claims(embedded.passwordGrant(issuer, PUBLIC_CLIENT, null, user.username(), password, scope)
                            .accessToken());
            assertSameClaims(user.username(), fromKeycloak, fromEmbedded);
            assertThat(SmartScopes.parse((String) fromKeycloak.get("scope")).permits("Patient", 'r'))
                    .as(user.username())
                    .isTrue();
            compared++;
        }
        for (RealmClient client : REALM.clients()) {
            if (!Boolean.TRUE.equals(client.serviceAccountsEnabled())) {
                continue;
            }
            Map<String, Object> fromKeycloak = claims(keycloakTokens.forClient(client.clientId(), client.secret()));
            Map<String, Object> fromEmbedded =
                    claims(embedded.clientCredentials(issuer, client.clientId(), client.secret())
                            .accessToken());
            assertSameClaims(client.clientId(), fromKeycloak, fromEmbedded);
            assertThat(scopes(fromKeycloak)).as(client.clientId()).contains("system/*.cruds");
            compared++;
        }
        assertThat(compared).isGreaterThan(20);
    }

    @Test
    void keycloakProfessionalTokenCreatesAndReadsAPatient() throws Exception {
        String token = keycloakTokens.forUser(PUBLIC_CLIENT, "gp.ashdown", "synthetic-password");
        Patient patient = new Patient();
        patient.addName().setFamily("Keycloak-Synthetic");

        HttpResponse<String> created = send("POST", "/fhir/Patient", token, encode(patient));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = FHIR.newJsonParser()
                .parseResource(Patient.class, created.body())
                .getIdElement()
                .getIdPart();

        HttpResponse<String> read = send("GET", "/fhir/Patient/" + id, token, null);
        assertThat(read.statusCode()).isEqualTo(200);
    }

    @Test
    void keycloakTokenWithoutASmartScopeIsRefusedWithAnOperationOutcome() throws Exception {
        // No scope parameter: the public client's default scopes only, none of them a SMART resource scope.
        String token = keycloakTokens.forUser(PUBLIC_CLIENT, "gp.ashdown", "synthetic-password", "openid");
        assertThat(SmartScopes.parse((String) claims(token).get("scope")).isEmpty())
                .isTrue();

        HttpResponse<String> refused = send("POST", "/fhir/Patient", token, encode(new Patient()));

        assertThat(refused.statusCode()).isEqualTo(403);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, refused.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("user/Patient.c");
        assertThat(send("GET", "/fhir/metadata", null, null).statusCode())
                .as("the capability statement stays open")
                .isEqualTo(200);
    }

    @Test
    void tokenSignedByTheEmbeddedIssuerIsRefusedInKeycloakMode() throws Exception {
        // Same issuer URL and claims as Keycloak's, but not Keycloak's signature.
        EmbeddedTokenIssuer impostor = new EmbeddedTokenIssuer(REALM, Duration.ofMinutes(5), Clock.systemUTC());
        String token = impostor.passwordGrant(
                        keycloak.issuer().toString(),
                        PUBLIC_CLIENT,
                        null,
                        "gp.ashdown",
                        "synthetic-password",
                        SmartScopes.PROFESSIONAL_REQUEST)
                .accessToken();

        HttpResponse<String> refused = send("GET", "/fhir/Patient", token, null);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("invalid_token");
    }

    @Test
    void smartConfigurationPointsAtKeycloak() throws Exception {
        HttpResponse<String> response = send("GET", "/fhir/.well-known/smart-configuration", null, null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"issuer\":\"" + keycloak.issuer() + "\"")
                .contains(keycloak.issuer() + "/protocol/openid-connect/token")
                .contains("permission-v2")
                .contains("system/*.cruds");
    }

    @Test
    void keycloakDemandsS256PkceOfTheSmartAppAsTheEmbeddedIssuerDoes() throws Exception {
        String redirect = "http://127.0.0.1:5173/callback";
        String request =
                keycloak.issuer() + "/protocol/openid-connect/auth?response_type=code&client_id=smart-app-example"
                        + "&scope=openid&state=s1&redirect_uri=";
        // RFC 7636 Appendix B's challenge.
        String s256 = "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";

        HttpResponse<String> signIn = keycloakGet(request + encode(redirect) + s256);
        HttpResponse<String> plain = keycloakGet(request + encode(redirect) + s256.replace("S256", "plain"));
        HttpResponse<String> noChallenge = keycloakGet(request + encode(redirect));
        HttpResponse<String> elsewhere = keycloakGet(request + encode("https://evil.example/callback") + s256);

        assertThat(signIn.statusCode())
                .as("a loopback redirect on any port, with S256")
                .isEqualTo(200);
        for (HttpResponse<String> refused : List.of(plain, noChallenge)) {
            assertThat(refused.statusCode()).isEqualTo(302);
            assertThat(refused.headers().firstValue("Location").orElseThrow())
                    .startsWith(redirect + "?")
                    .contains("error=invalid_request")
                    .contains("state=s1");
        }
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
    }

    private HttpResponse<String> keycloakGet(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void assertSameClaims(String who, Map<String, Object> keycloak, Map<String, Object> embedded) {
        assertThat(keycloak).as("%s: Keycloak's token has a subject", who).containsKey("sub");
        assertThat(picked(keycloak)).as(who).isEqualTo(picked(embedded));
        assertThat(roles(keycloak)).as("%s roles", who).isEqualTo(roles(embedded));
        assertThat(scopes(keycloak)).as("%s scopes", who).isEqualTo(scopes(embedded));
    }

    private static Map<String, Object> picked(Map<String, Object> claims) {
        Map<String, Object> picked = new LinkedHashMap<>();
        COMPARED_CLAIMS.forEach(c -> picked.put(c, claims.get(c)));
        return picked;
    }

    private static Set<String> roles(Map<String, Object> claims) {
        Object roles = claims.get(ActorIdentity.CLAIM_ROLES);
        return roles instanceof List<?> list
                ? new HashSet<>(list.stream().map(String::valueOf).toList())
                : Set.of();
    }

    private static Set<String> scopes(Map<String, Object> claims) {
        Object scope = claims.get("scope");
        return scope == null ? Set.of() : Set.of(String.valueOf(scope).split(" "));
    }

    private static Map<String, Object> claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getClaims();
    }

    private static String encode(Patient patient) {
        return FHIR.newJsonParser().encodeResourceToString(patient);
    }

    private HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
