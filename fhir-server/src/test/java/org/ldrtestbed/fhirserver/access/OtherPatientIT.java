package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * An attacker with a patient's token guesses another patient's record: a search naming it says {@code other-patient}
 * and a read of an entry in it is "not known", and both answers are the same whether that record exists or not, so
 * they tell nothing about it. A professional without a relationship is told {@code no-relationship} alike.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtherPatientIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** An id no entry has: far above any the test database hands out. */
    private static final String UNKNOWN = "987654321";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private ActorTokens tokens;
    private String other;
    private String otherCondition;

    @BeforeAll
    void anotherPatientsRecord() throws Exception {
        tokens = new ActorTokens(port);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(NhsNumber.syntheticFrom(8_123_457L));
        patient.addName().setFamily("Other-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        other = create(patient).getIdPart();
        Condition condition = new Condition()
                .setCode(new CodeableConcept().setText("Another patient's problem (synthetic)"))
                .setSubject(new Reference("Patient/" + other));
        otherCondition = create(condition).getIdPart();
    }

    @Test
    void aPatientSearchingAnotherRecordIsToldOtherPatientWhetherOrNotItExists() throws Exception {
        HttpResponse<String> existing = get("/fhir/Condition?patient=Patient/" + other, "patient.arjun");
        HttpResponse<String> unknown = get("/fhir/Condition?patient=Patient/" + UNKNOWN, "patient.arjun");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(existing.statusCode()).as(existing.body()).isEqualTo(200);
        soft.assertThat(reasons(existing)).containsExactly("other-patient");
        soft.assertThat(existing.body()).doesNotContain("Another patient's problem");
        soft.assertThat(normalised(existing, other))
                .as("the same answer for a record that exists and one that does not")
                .isEqualTo(normalised(unknown, UNKNOWN));
        soft.assertAll();
    }

    @Test
    void aProfessionalWithoutARelationshipIsToldTheSameWhetherOrNotTheRecordExists() throws Exception {
        HttpResponse<String> existing = get("/fhir/Condition?patient=Patient/" + other, "edconsultant.marsh");
        HttpResponse<String> unknown = get("/fhir/Condition?patient=Patient/" + UNKNOWN, "edconsultant.marsh");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(reasons(existing)).containsExactly("no-relationship");
        soft.assertThat(normalised(existing, other)).isEqualTo(normalised(unknown, UNKNOWN));
        soft.assertAll();
    }

    @Test
    void aPatientReadingAnEntryOfAnotherRecordGetsWhatAnUnknownEntryGets() throws Exception {
        HttpResponse<String> existing = get("/fhir/Condition/" + otherCondition, "patient.arjun");
        HttpResponse<String> unknown = get("/fhir/Condition/" + UNKNOWN, "patient.arjun");

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(existing.statusCode()).isEqualTo(404);
        soft.assertThat(unknown.statusCode()).isEqualTo(404);
        soft.assertThat(existing.body().replace(otherCondition, "ID"))
                .as("the same words for an entry that exists and one that does not")
                .isEqualTo(unknown.body().replace(UNKNOWN, "ID"));
        soft.assertThat(get("/fhir/Condition/" + otherCondition, "gp.ashdown").statusCode())
                .as("the registered GP reads it: the entry is there")
                .isEqualTo(200);
        soft.assertAll();
    }

    private static java.util.List<String> reasons(HttpResponse<String> response) {
        Bundle bundle = (Bundle) FHIR.newJsonParser().parseResource(response.body());
        return bundle.getEntry().stream()
                .filter(e -> e.getResource() instanceof OperationOutcome)
                .flatMap(e -> AccessMatrix.denialReasons((OperationOutcome) e.getResource()).stream())
                .toList();
    }

    /** A search answer without what differs between any two searches: ids, timestamps, links, the id asked for. */
    private static String normalised(HttpResponse<String> response, String askedFor) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return SearchAnswers.normalised(response.body()).replace(askedFor, "ID");
    }

    private IdType create(org.hl7.fhir.r4.model.Resource resource) throws Exception {
        HttpResponse<String> created = send(
                "POST",
                "/fhir/" + resource.fhirType(),
                "client:mesh-mailbox",
                FHIR.newJsonParser().encodeResourceToString(resource));
        assertThat(created.statusCode()).as("set-up write: " + created.body()).isEqualTo(201);
        return new IdType(created.headers().firstValue("Location").orElseThrow()).toUnqualifiedVersionless();
    }

    private HttpResponse<String> get(String path, String as) throws Exception {
        return send("GET", path, as, null);
    }

    private HttpResponse<String> send(String method, String path, String as, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Accept", "application/fhir+json")
                .header("Cache-Control", "no-cache")
                .header("Authorization", "Bearer " + tokens.token(as));
        if (body == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/fhir+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
