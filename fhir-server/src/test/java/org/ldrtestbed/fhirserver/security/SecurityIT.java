package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.identity.token.EmbeddedTokenIssuer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfiguration;

/** Every FHIR request needs its actor's token; refusals are OperationOutcomes; writes are attributed by the server. */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class SecurityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedTokenIssuer embeddedIssuer;

    @Autowired
    Environment environment;

    @Test
    void capabilityStatementIsOpen() throws Exception {
        HttpResponse<String> response = get("/fhir/metadata", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"resourceType\":\"CapabilityStatement\"");
    }

    @Test
    void requestWithoutTokenGets401WithOperationOutcome() throws Exception {
        HttpResponse<String> response = get("/fhir/Patient", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/fhir+json"));
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("bearer token");
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger").generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(base() + "/realms/ldr-testbed")
                .audience("ldr-testbed-fhir")
                .subject("gp.ashdown")
                .claim("preferred_username", "gp.ashdown")
                .claim("organisation", "SYNG09")
                .claim("roles", List.of("gp"))
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        SignedJWT forged = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("stranger").build(), claims);
        forged.sign(new RSASSASigner(stranger));

        HttpResponse<String> response = get("/fhir/Patient", forged.serialize());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("invalid_token");
        assertThat(FHIR.newJsonParser()
                        .parseResource(OperationOutcome.class, response.body())
                        .getIssue())
                .hasSize(1);
    }

    @Test
    void tokenRequestedUnderAnotherHostNameStillNamesTheConfiguredIssuer() throws Exception {
        String form = "grant_type=password&client_id=testbed-scenarios&username=gp.ashdown&password=synthetic-password"
                + "&scope=user%2F*.cruds";
        String answer = raw(
                "POST /realms/ldr-testbed/protocol/openid-connect/token",
                "evil.example",
                "application/x-www-form-urlencoded",
                form);
        assertThat(answer).startsWith("HTTP/1.1 200");
        String token = answer.replaceAll("(?s).*\"access_token\":\"([^\"]+)\".*", "$1");

        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(base() + "/realms/ldr-testbed");
        assertThat(get("/fhir/Patient?_count=1", token).statusCode()).isEqualTo(200);
        assertThat(raw("GET /realms/ldr-testbed/.well-known/openid-configuration", "evil.example", null, null))
                .contains("\"issuer\":\"" + base() + "/realms/ldr-testbed\"")
                .doesNotContain("evil.example");
        assertThat(raw("GET /fhir/.well-known/smart-configuration", "evil.example", null, null))
                .contains(base() + "/realms/ldr-testbed/protocol/openid-connect/token")
                .doesNotContain("evil.example");
    }

    @Test
    void tokenSignedWithTheServersKeyButNamingAnotherIssuerIsRefused() throws Exception {
        String token = embeddedIssuer
                .passwordGrant(
                        "http://evil.example/realms/ldr-testbed",
                        "testbed-scenarios",
                        null,
                        "gp.ashdown",
                        "synthetic-password",
                        "user/*.cruds")
                .accessToken();
        String genuine = embeddedIssuer
                .passwordGrant(
                        base() + "/realms/ldr-testbed",
                        "testbed-scenarios",
                        null,
                        "gp.ashdown",
                        "synthetic-password",
                        "user/*.cruds")
                .accessToken();

        HttpResponse<String> response = get("/fhir/Patient", token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("OperationOutcome").contains("not issued by");
        assertThat(get("/fhir/Patient?_count=1", genuine).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Basic !!!not-base64!!!",
                "Basic ",
                "Basic bm8tY29sb24=", // "no-colon"
                "Basic OnNlY3JldA==", // ":secret"
                "Basic bWVzaC1tYWlsYm94Ondyb25n" // "mesh-mailbox:wrong"
            })
    void malformedOrWrongClientCredentialsOnTheTokenEndpointAre401InvalidClient(String authorization) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/realms/ldr-testbed/protocol/openid-connect/token"))
                        .header("Authorization", authorization)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).containsPattern("\"error\":\"(invalid_client|unauthorized_client)\"");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Bearer garbage",
                "Bearer ",
                "Bearer a.b.c",
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJncC5hc2hkb3duIn0.",
                "Basic Z3AuYXNoZG93bjpzeW50aGV0aWMtcGFzc3dvcmQ=",
                "Negotiate xyz"
            })
    void malformedCredentialsOnFhirAre401WithAnOperationOutcome(String authorization) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient"))
                        .header("Authorization", authorization)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(FHIR.newJsonParser()
                        .parseResource(OperationOutcome.class, response.body())
                        .getIssueFirstRep()
                        .getCode())
                .isEqualTo(OperationOutcome.IssueType.LOGIN);
    }

    @Test
    void httpAndMllpListenOnLoopbackOnly() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        Assumptions.assumeTrue(outside != null, "this machine has no non-loopback address to try");
        int mllp = Integer.parseInt(environment.getProperty("testbed.routes.mllp-port"));
        for (int listening : new int[] {port, mllp}) {
            try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), listening)) {
                assertThat(loopback.isConnected()).isTrue();
            }
            assertThatThrownBy(() -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(outside, listening), 2000);
                        }
                    })
                    .as("port %d on %s", listening, outside)
                    .isInstanceOf(java.io.IOException.class);
        }
    }

    private static InetAddress nonLoopbackAddress() throws Exception {
        return NetworkInterface.networkInterfaces()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                .findFirst()
                .orElse(null);
    }

    /** A request with the Host header the client chooses, which java.net.http does not let a caller set. */
    private String raw(String requestLine, String host, String contentType, String body) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(requestLine + " HTTP/1.1\r\nHost: " + host + "\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void validTokenIsServedAndWritesAreAttributedByTheServer() throws Exception {
        String token = tokens().forUser("testbed-scenarios", "gp.ashdown", "synthetic-password");
        Patient patient = new Patient();
        patient.addName().setFamily("Security-Synthetic");
        // A client cannot choose its own attribution: the server overwrites meta.source from the token.
        patient.getMeta().setSource("https://example.invalid/forged-source");

        HttpResponse<String> created =
                post("/fhir/Patient", token, FHIR.newJsonParser().encodeResourceToString(patient));

        assertThat(created.statusCode()).isEqualTo(201);
        Patient stored = FHIR.newJsonParser().parseResource(Patient.class, created.body());
        assertThat(stored.getMeta().getSource()).startsWith(RecordAttribution.SOURCE_BASE + "SYNG09/gp.ashdown");
    }

    @Test
    void directoryIsLoadedWithSyntheticOdsCodes() throws Exception {
        String token = tokens().forUser("testbed-scenarios", "paramedic.hale", "synthetic-password");
        HttpResponse<String> response =
                get("/fhir/Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code%7CSYNAC", token);
        Bundle found = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        assertThat(found.getEntry()).hasSize(1);

        Bundle practices = FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        get(
                                        "/fhir/Organization?type=https://fhir.ldr-testbed.example/CodeSystem/care-setting%7Cprimary-care&_summary=count",
                                        token)
                                .body());
        assertThat(practices.getTotal()).isEqualTo(12);
    }

    @Test
    void tokenWithoutASmartScopeIsRefusedWith403() throws Exception {
        String token = tokens().forUser("testbed-scenarios", "gp.ashdown", "synthetic-password", "openid");

        HttpResponse<String> response = get("/fhir/Patient", token);

        assertThat(response.statusCode()).isEqualTo(403);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("user/Patient.s");
    }

    @Test
    void smartConfigurationIsOpenAndPointsAtTheEmbeddedIssuer() throws Exception {
        HttpResponse<String> response = get("/fhir/.well-known/smart-configuration", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .contains("\"token_endpoint\":\"" + base() + "/realms/ldr-testbed/protocol/openid-connect/token\"")
                .contains("\"permission-v2\"")
                .contains("\"user/*.cruds\"");
    }

    @Test
    void wrongPasswordGetsNoToken() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> tokens().forUser("testbed-scenarios", "gp.ashdown", "not-the-password"))
                .hasMessageContaining("HTTP 401");
    }

    private TokenClient tokens() {
        return new TokenClient(URI.create(base() + "/realms/ldr-testbed"));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
