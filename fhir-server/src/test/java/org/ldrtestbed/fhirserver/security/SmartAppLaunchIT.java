package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.web.util.HtmlUtils;

/**
 * A SMART app's standalone launch, driven over HTTP as a browser and the app would (no browser): discovery, the
 * sign-in form, the redirect with a code, the token for the code and its PKCE verifier, a FHIR read with it; the
 * refusals RFC 6749 and RFC 7636 ask for; and CORS for an app served from another origin.
 */
@SpringBootTest(
        classes = FhirServerApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "testbed.security.cors-origins=" + SmartAppLaunchIT.APP_ORIGIN + ",http://127.0.0.1:5173")
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class SmartAppLaunchIT {

    static final String APP_ORIGIN = "http://localhost:5173";
    private static final String CLIENT = "smart-app-example";
    private static final String REDIRECT = "http://127.0.0.1:5173/callback";
    private static final String SCOPE = "openid user/*.cruds";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HIDDEN =
            Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void smartConfigurationHasEveryRequiredFieldAndClaimsOnlyWhatWorks() throws Exception {
        HttpResponse<String> response = get("/fhir/.well-known/smart-configuration", null);

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> doc = json(response);
        String issuer = base() + "/realms/ldr-testbed";
        assertThat(doc)
                .containsEntry("issuer", issuer)
                .containsEntry("authorization_endpoint", issuer + "/protocol/openid-connect/auth")
                .containsEntry("token_endpoint", issuer + "/protocol/openid-connect/token")
                .containsEntry("jwks_uri", issuer + "/protocol/openid-connect/certs")
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsKeys("grant_types_supported", "scopes_supported", "capabilities");
        assertThat(list(doc, "grant_types_supported")).contains("authorization_code", "client_credentials");
        assertThat(list(doc, "scopes_supported")).contains("openid", "user/*.cruds", "patient/*.cruds");
        assertThat(list(doc, "capabilities"))
                .containsExactlyInAnyOrder(
                        "launch-standalone", "client-public", "client-confidential-symmetric", "permission-v2");
    }

    @Test
    void openidConfigurationHasEveryRequiredField() throws Exception {
        Map<String, Object> doc = json(get("/realms/ldr-testbed/.well-known/openid-configuration", null));

        assertThat(doc)
                .containsKeys(
                        "issuer",
                        "authorization_endpoint",
                        "token_endpoint",
                        "jwks_uri",
                        "response_types_supported",
                        "subject_types_supported",
                        "id_token_signing_alg_values_supported",
                        "grant_types_supported",
                        "code_challenge_methods_supported",
                        "scopes_supported",
                        "token_endpoint_auth_methods_supported")
                .containsEntry("response_types_supported", List.of("code"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"));
        assertThat(list(doc, "grant_types_supported")).contains("authorization_code");
        assertThat(list(doc, "token_endpoint_auth_methods_supported")).contains("none");
    }

    @Test
    void standaloneLaunchSignsInRedirectsWithACodeAndTheCodeBuysATokenForFhir() throws Exception {
        String verifier = verifier();
        HttpResponse<String> form = get(authorize(challengeOf(verifier), "S256", REDIRECT), null);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));

        HttpResponse<String> redirect = signIn(form.body(), "gp.ashdown", "synthetic-password");

        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        Map<String, String> answer = query(location);
        assertThat(answer).containsEntry("state", "a&b state").containsKey("code");

        HttpResponse<String> token = token(answer.get("code"), CLIENT, REDIRECT, verifier);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        Map<String, Object> tokenAnswer = json(token);
        assertThat(tokenAnswer)
                .containsEntry("token_type", "Bearer")
                .containsEntry("scope", "openid profile user/*.cruds");
        // The request asked for openid: an ID token for the app, with the request's nonce (OIDC Core §3.1.3.3).
        com.nimbusds.jwt.JWTClaimsSet id = com.nimbusds.jwt.SignedJWT.parse((String) tokenAnswer.get("id_token"))
                .getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly(CLIENT);
        assertThat(id.getSubject()).isEqualTo("gp.ashdown");
        assertThat(id.getStringClaim("nonce")).isEqualTo(NONCE);

        assertThat(get("/fhir/Patient?_count=1", (String) tokenAnswer.get("access_token"))
                        .statusCode())
                .isEqualTo(200);
        assertInvalidGrant(token(answer.get("code"), CLIENT, REDIRECT, verifier));
    }

    @Test
    void wrongPasswordShowsTheFormAgainWithoutARedirect() throws Exception {
        HttpResponse<String> form = get(authorize(challengeOf(verifier()), "S256", REDIRECT), null);

        HttpResponse<String> again = signIn(form.body(), "gp.ashdown", "not-the-password");

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("Location")).isEmpty();
        assertThat(again.body()).contains("Invalid username or password").contains("name=\"code_challenge\"");
    }

    @Test
    void unknownClientOrUnregisteredRedirectUriGetsAnErrorPageNeverARedirect() throws Exception {
        String challenge = challengeOf(verifier());
        HttpResponse<String> unknownClient =
                get(authorize(challenge, "S256", REDIRECT).replace("client_id=" + CLIENT, "client_id=nobody"), null);
        HttpResponse<String> elsewhere = get(authorize(challenge, "S256", "https://evil.example/callback"), null);
        // A registered client, but not one that registered this redirect URI.
        HttpResponse<String> runner = get(
                authorize(challenge, "S256", REDIRECT).replace("client_id=" + CLIENT, "client_id=testbed-scenarios"),
                null);

        for (HttpResponse<String> refused : List.of(unknownClient, elsewhere, runner)) {
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Location")).isEmpty();
        }
        assertThat(elsewhere.body()).contains("redirect_uri");
    }

    @Test
    void plainOrMissingChallengeIsRedirectedBackAsInvalidRequest() throws Exception {
        String verifier = verifier();
        for (String request : List.of(
                authorize(verifier, "plain", REDIRECT),
                authorize(challengeOf(verifier), "S256", REDIRECT).replaceAll("&code_challenge(_method)?=[^&]*", ""))) {
            HttpResponse<String> refused = get(request, null);

            assertThat(refused.statusCode()).as(request).isEqualTo(302);
            Map<String, String> answer =
                    query(refused.headers().firstValue("Location").orElseThrow());
            assertThat(answer).containsEntry("error", "invalid_request").containsEntry("state", "a&b state");
        }
    }

    @Test
    void badVerifierOrAnotherClientsCodeIsAnInvalidGrant() throws Exception {
        String verifier = verifier();

        assertInvalidGrant(token(code(verifier), CLIENT, REDIRECT, verifier()));
        assertInvalidGrant(token(code(verifier), "testbed-scenarios", REDIRECT, verifier));
        assertInvalidGrant(token(code(verifier), CLIENT, "http://127.0.0.1:5173/other", verifier));
        assertInvalidGrant(token("never-issued", CLIENT, REDIRECT, verifier));
    }

    @Test
    void browserAppOnAnAllowedOriginMayCallFhirAndTheTokenEndpoint() throws Exception {
        HttpResponse<String> preflight =
                preflight("/fhir/Patient", APP_ORIGIN, "GET", "authorization,content-type,x-ldr-journey");

        assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP_ORIGIN);
        assertThat(preflight
                        .headers()
                        .firstValue("Access-Control-Allow-Headers")
                        .orElseThrow())
                .containsIgnoringCase("authorization")
                .containsIgnoringCase("x-ldr-journey");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials"))
                .isEmpty();
        assertThat(preflight("/realms/ldr-testbed/protocol/openid-connect/token", APP_ORIGIN, "POST", "content-type")
                        .headers()
                        .firstValue("Access-Control-Allow-Origin"))
                .hasValue(APP_ORIGIN);

        String verifier = verifier();
        String token =
                (String) json(token(code(verifier), CLIENT, REDIRECT, verifier)).get("access_token");
        HttpResponse<String> read = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient?_count=1"))
                        .header("Origin", APP_ORIGIN)
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP_ORIGIN);
        assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("Location", "ETag", "Content-Location");
    }

    @Test
    void originNotListedGetsNoCorsHeaders() throws Exception {
        HttpResponse<String> preflight = preflight("/fhir/Patient", "http://evil.example", "GET", "authorization");

        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                .isEmpty();
        assertThat(preflight.statusCode()).isEqualTo(403);
    }

    /** A code for gp.ashdown, through the form as a browser would get it. */
    private String code(String verifier) throws Exception {
        HttpResponse<String> form = get(authorize(challengeOf(verifier), "S256", REDIRECT), null);
        HttpResponse<String> redirect = signIn(form.body(), "gp.ashdown", "synthetic-password");
        return query(redirect.headers().firstValue("Location").orElseThrow()).get("code");
    }

    private static String authorize(String challenge, String method, String redirectUri) {
        return "/realms/ldr-testbed/protocol/openid-connect/auth?response_type=code&client_id=" + CLIENT
                + "&redirect_uri=" + encode(redirectUri) + "&scope=" + encode(SCOPE) + "&state=" + encode("a&b state")
                + "&code_challenge=" + encode(challenge) + "&code_challenge_method=" + method
                + "&nonce=" + encode(NONCE);
    }

    /** Carried through the sign-in form's hidden fields into the ID token. */
    private static final String NONCE = "n-synthetic-0S6_WzA2Mj";

    /** Submits the sign-in form as a browser would: its hidden fields, and what the user typed. */
    private HttpResponse<String> signIn(String formPage, String username, String password) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(formPage);
        while (hidden.find()) {
            fields.put(hidden.group(1), HtmlUtils.htmlUnescape(hidden.group(2)));
        }
        assertThat(formPage).contains("<form method=\"post\" action=\"auth\">");
        fields.put("username", username);
        fields.put("password", password);
        return postForm("/realms/ldr-testbed/protocol/openid-connect/auth", fields);
    }

    private HttpResponse<String> token(String code, String clientId, String redirectUri, String verifier)
            throws Exception {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        form.put("client_id", clientId);
        form.put("code_verifier", verifier);
        return postForm("/realms/ldr-testbed/protocol/openid-connect/token", form);
    }

    private static void assertInvalidGrant(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response)).containsEntry("error", "invalid_grant");
    }

    private HttpResponse<String> preflight(String path, String origin, String method, String headers) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", method)
                        .header("Access-Control-Request-Headers", headers)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(encode(k))
                .append('=')
                .append(encode(v)));
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** RFC 7636 §4.1: 32 random bytes, base64url. */
    private static String verifier() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** RFC 7636 §4.2, worked out here rather than by the server's own code. */
    private static String challengeOf(String verifier) throws Exception {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    private static Map<String, String> query(String location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) throws Exception {
        return JSON.readValue(response.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> doc, String field) {
        return (List<String>) doc.get(field);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
