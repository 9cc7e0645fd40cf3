package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Every read a care relationship allowed says which one, in the {@value AccessInterceptor#CARE_RELATIONSHIP_HEADER}
 * header: the organisation, the kind of care event, where it names the organisation and the event itself. A refusal
 * for want of one carries no header and says which care events would create one.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
class CareRelationshipHeaderIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void theHeaderNamesTheRelationshipThatGrantedTheReadAndIsAbsentOnRefusal() throws Exception {
        TestbedClient testbed = new TestbedClient(port);
        // The acute trust registers the patient with her GP practice: a care event involving the practice.
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(NhsNumber.syntheticFrom(System.nanoTime()));
        patient.addName().setFamily("Relationship-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        String patientId = new IdType(testbed.create("edconsultant.marsh", patient)).getIdPart();
        Condition condition = new Condition();
        condition.setSubject(new Reference("Patient/" + patientId));
        condition.getCode().setText("Community-acquired pneumonia (synthetic)");
        String conditionRef = testbed.create("edconsultant.marsh", condition);

        HttpResponse<String> gp = get("/fhir/" + conditionRef, "gp.ashdown");
        assertThat(gp.statusCode()).isEqualTo(200);
        assertThat(gp.headers().allValues(AccessInterceptor.CARE_RELATIONSHIP_HEADER))
                .containsExactly("patient=Patient/" + patientId + "; organisation=SYNG09; kind=recorded;"
                        + " via=Patient.generalPractitioner; event=Patient/" + patientId);
        HttpResponse<String> gpSearch = get("/fhir/Condition?patient=Patient/" + patientId, "gp.ashdown");
        assertThat(gpSearch.headers().firstValue(AccessInterceptor.CARE_RELATIONSHIP_HEADER))
                .hasValueSatisfying(v -> assertThat(v).contains("organisation=SYNG09"));

        HttpResponse<String> paramedic = get("/fhir/" + conditionRef, "paramedic.hale");
        assertThat(paramedic.statusCode()).isEqualTo(403);
        assertThat(paramedic.headers().firstValue(AccessInterceptor.CARE_RELATIONSHIP_HEADER))
                .isEmpty();
        assertThat(paramedic.body())
                .contains("no-relationship")
                .contains("one arises from a care event naming it")
                .contains("CareTeam.participant.member");

        // The acute trust puts the ambulance service on her care team: now the paramedic is involved, by that event.
        CareTeam team = new CareTeam();
        team.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        team.setSubject(new Reference("Patient/" + patientId));
        team.addParticipant().setMember(new Reference("Organization/SYNAM"));
        String teamRef = testbed.create("edconsultant.marsh", team);

        HttpResponse<String> involved = get("/fhir/" + conditionRef, "paramedic.hale");
        assertThat(involved.statusCode()).isEqualTo(200);
        assertThat(involved.headers().allValues(AccessInterceptor.CARE_RELATIONSHIP_HEADER))
                .containsExactly("patient=Patient/" + patientId + "; organisation=SYNAM; kind=recorded;"
                        + " via=CareTeam.participant.member; event=" + teamRef);

        // The writer's own entry needs no relationship, so none is named.
        HttpResponse<String> writer = get("/fhir/" + conditionRef, "edconsultant.marsh");
        assertThat(writer.statusCode()).isEqualTo(200);
        assertThat(writer.headers().firstValue(AccessInterceptor.CARE_RELATIONSHIP_HEADER))
                .isEmpty();
    }

    private HttpResponse<String> get(String path, String username) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + new TestbedClient(port).token(username))
                        .header("Accept", "application/fhir+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
