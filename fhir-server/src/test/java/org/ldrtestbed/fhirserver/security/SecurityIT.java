package org.ldrtestbed.fhirserver.security;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.identity.RecordAttribution;
import org.ldrtestbed.identity.token.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/** Every FHIR request needs its actor's token; refusals are OperationOutcomes; writes are attributed by the server. */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class SecurityIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

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
