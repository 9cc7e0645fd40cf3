package org.ldrtestbed.fhirserver.gpconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.RealKeycloak;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * The simulated GP system's {@code $gpc.getstructuredrecord} on a real server, attacked as its readers would: the GP
 * gets the practice's allergies and medication and nothing another organisation wrote; a professional in a care
 * relationship, the patient and a system client involved in her care get what their own searches show them (once the
 * GP summary has published it); a professional with no relationship, another patient, an unrelated organisation's
 * system client and an anonymous caller get none of it; sensitive, dissented and held entries stay out; bad
 * parameters are 400 naming the parameter, an invalid NHS number 400, an unknown one 404.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StructuredRecordIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PASSWORD = "synthetic-password";
    private static final String PUBLIC_CLIENT = "testbed-scenarios";
    private static final String GP = "gp.ashdown"; // SYNG09, the practice
    private static final String ED =
            "paramedic.hale"; // SYNAM, in a care relationship (an ambulance encounter; not the ED, whom the access
    // attacks keep unrelated to Dot)
    private static final String UNRELATED = "nurse.fenwick"; // SYNCM, no relationship
    private static final String DOT = "9990000077"; // patient.dot's own NHS number
    private static final String SNOMED = "http://snomed.info/sct";
    private static final Duration PUBLISHED = Duration.ofSeconds(60);
    /** What the practice records for Dot that no label makes sensitive. */
    private static final List<String> SHARED = List.of(
            "GPC-ACTIVE-PENICILLIN", "GPC-RESOLVED-LATEX", "GPC-CURRENT-INHALER", "GPC-OLD-COURSE", "GPC-REPEAT-ORDER");

    @LocalServerPort
    int port;

    @Autowired
    FlowSwitchboard switchboard;

    @Autowired
    AuditTrail trail;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final RealmDefinition realm = RealmFiles.load("classpath:" + RealKeycloak.REALM_RESOURCE);
    private final Map<String, String> tokens = new HashMap<>();

    /** Dot's record: the practice's entries, one the ambulance service wrote, and the ambulance service's encounter. */
    private String dotId;

    @BeforeAll
    void dotsRecord() throws Exception {
        Patient dot = new Patient();
        dot.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(DOT);
        dot.addName().setFamily("Structured-Synthetic").addGiven("Dot");
        dot.addGeneralPractitioner().setReference("Organization/SYNG09");
        dotId = create(GP, dot);
        write(GP, allergy(dotId, "GPC-ACTIVE-PENICILLIN", "active"));
        write(GP, allergy(dotId, "GPC-RESOLVED-LATEX", "resolved"));
        write(GP, statement(dotId, "GPC-CURRENT-INHALER", null));
        write(GP, statement(dotId, "GPC-OLD-COURSE", "2020-01-31"));
        write(GP, request(dotId, "GPC-REPEAT-ORDER"));
        MedicationStatement sensitive = statement(dotId, "GPC-SENSITIVE-MEDICINE", null);
        sensitive.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-ActCode", "STD", null);
        write(GP, sensitive);
        Encounter admission = new Encounter()
                .setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER", null))
                .setSubject(new Reference("Patient/" + dotId))
                .setServiceProvider(new Reference("Organization/SYNAM"));
        write("client:ambulance-epr", admission);
        write(ED, allergy(dotId, "GPC-ACUTE-RECORDED", "active"));
        // Published by gp-summary for professionals, by patient-online-access for Dot.
        await().atMost(PUBLISHED).until(() -> texts(pull(ED, DOT, true, null)).containsAll(SHARED));
        await().atMost(PUBLISHED)
                .until(() -> texts(pull("patient.dot", DOT, true, null)).containsAll(SHARED));
    }

    @Test
    void theGpGetsThePracticesAllergiesAndMedicationAndNothingAnotherOrganisationWrote() throws Exception {
        long audited = trail.count(new AuditTrail.Query(List.of("Patient/" + dotId), GP, null));

        HttpResponse<String> answer = pull(GP, DOT, true, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Bundle record = bundle(answer);
        assertThat(record.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(record.getEntryFirstRep().getResource()).isInstanceOf(Patient.class);
        assertThat(record.getEntryFirstRep().getFullUrl()).endsWith("/fhir/Patient/" + dotId);
        assertThat(texts(answer))
                .containsExactlyInAnyOrder(
                        "GPC-ACTIVE-PENICILLIN",
                        "GPC-RESOLVED-LATEX",
                        "GPC-CURRENT-INHALER",
                        "GPC-OLD-COURSE",
                        "GPC-REPEAT-ORDER",
                        "GPC-SENSITIVE-MEDICINE");
        assertThat(answer.body()).doesNotContain("GPC-ACUTE-RECORDED");
        assertThat(trail.count(new AuditTrail.Query(List.of("Patient/" + dotId), GP, null)))
                .as("the pull is audited as the GP's access to Dot's record")
                .isGreaterThan(audited);
    }

    @Test
    void resolvedAllergiesAndMedicationEndedBeforeTheSearchDateAreLeftOutWhenAsked() throws Exception {
        HttpResponse<String> answer = pull(GP, DOT, false, "2024-01-01");

        assertThat(texts(answer))
                .containsExactlyInAnyOrder(
                        "GPC-ACTIVE-PENICILLIN", "GPC-CURRENT-INHALER", "GPC-REPEAT-ORDER", "GPC-SENSITIVE-MEDICINE");
    }

    @Test
    void onlyWhatIsAskedForIsAnswered() throws Exception {
        HttpResponse<String> answer = send(GP, json(parameters(DOT)), "application/fhir+json");
        Parameters onlyAllergies = parameters(DOT);
        onlyAllergies.addParameter().setName("includeAllergies");

        assertThat(bundle(answer).getEntry())
                .singleElement()
                .satisfies(e -> assertThat(e.getResource()).isInstanceOf(Patient.class));
        assertThat(texts(send(GP, json(onlyAllergies), "application/fhir+json")))
                .containsExactlyInAnyOrder("GPC-ACTIVE-PENICILLIN", "GPC-RESOLVED-LATEX");
    }

    @Test
    void aProfessionalInACareRelationshipGetsWhatTheirSearchShowsButNoSensitiveEntry() throws Exception {
        HttpResponse<String> answer = pull(ED, DOT, true, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(texts(answer))
                .containsExactlyInAnyOrder(
                        "GPC-ACTIVE-PENICILLIN",
                        "GPC-RESOLVED-LATEX",
                        "GPC-CURRENT-INHALER",
                        "GPC-OLD-COURSE",
                        "GPC-REPEAT-ORDER");
        assertThat(answer.body()).doesNotContain("GPC-SENSITIVE-MEDICINE").doesNotContain("STD");
        assertThat(texts(search(ED, "MedicationStatement?subject=Patient/" + dotId)))
                .as("the same as the reader's own search")
                .containsExactlyInAnyOrder("GPC-CURRENT-INHALER", "GPC-OLD-COURSE");
    }

    @Test
    void aProfessionalWithNoRelationshipGetsTheDemographicsAndNothingClinical() throws Exception {
        HttpResponse<String> answer = pull(UNRELATED, DOT, true, null);

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(bundle(answer).getEntry())
                .singleElement()
                .satisfies(e -> assertThat(e.getResource()).isInstanceOf(Patient.class));
        assertThat(answer.body()).doesNotContain("GPC-");
    }

    @Test
    void thePatientGetsHerOwnRecordAndAnotherPatientsNumberIsAnsweredAsAnUnknownOne() throws Exception {
        HttpResponse<String> own = pull("patient.dot", DOT, true, null);
        String other = patientWithAllergy("GPC-OTHER-PATIENT");

        HttpResponse<String> others = pull("patient.dot", other, true, null);
        HttpResponse<String> unknown =
                pull("patient.dot", NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits()), true, null);

        assertThat(texts(own)).contains("GPC-ACTIVE-PENICILLIN", "GPC-REPEAT-ORDER");
        assertThat(others.statusCode()).as(others.body()).isEqualTo(404);
        assertThat(others.body()).doesNotContain("GPC-OTHER-PATIENT").doesNotContain("Other-Synthetic");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(codes(others)).containsExactly("PATIENT_NOT_FOUND");
        assertThat(others.body())
                .as("the same words for a patient who is registered and one who is not")
                .isEqualTo(unknown.body());
    }

    @Test
    void aSystemClientIsAnsweredOnlyForCareItsOrganisationGives() throws Exception {
        HttpResponse<String> practice = pull("client:gp-clinical-system", DOT, true, null);
        HttpResponse<String> involved = pull("client:ambulance-epr", DOT, true, null);
        HttpResponse<String> unrelated = pull("client:social-care-system", DOT, true, null);

        assertThat(texts(practice)).contains("GPC-SENSITIVE-MEDICINE", "GPC-REPEAT-ORDER");
        assertThat(texts(involved)).contains("GPC-ACTIVE-PENICILLIN");
        assertThat(unrelated.statusCode()).as(unrelated.body()).isEqualTo(403);
        assertThat(codes(unrelated)).contains("NO_RELATIONSHIP", "no-relationship");
        assertThat(unrelated.body()).doesNotContain("GPC-").doesNotContain("Structured-Synthetic");
    }

    @Test
    void anAnonymousCallerGetsNothing() throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(operationUri())
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(json(request(DOT, true, null))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("GPC-");
    }

    @Test
    void anEntryThePatientDissentedFromSharingIsWithheldAsInASearch() throws Exception {
        String nhs = patientWithAllergy("GPC-DISSENTED-ALLERGY");
        String id = patientId(nhs);
        write(
                "client:ambulance-epr",
                new Encounter()
                        .setStatus(Encounter.EncounterStatus.INPROGRESS)
                        .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "EMER", null))
                        .setSubject(new Reference("Patient/" + id))
                        .setServiceProvider(new Reference("Organization/SYNAM")));
        await().atMost(PUBLISHED).until(() -> texts(pull(ED, nhs, true, null)).contains("GPC-DISSENTED-ALLERGY"));

        Consent dissent = new Consent();
        dissent.setStatus(Consent.ConsentState.ACTIVE);
        dissent.getScope()
                .addCoding(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null));
        dissent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", null)));
        dissent.setPatient(new Reference("Patient/" + id));
        dissent.getProvision().setType(Consent.ConsentProvisionType.DENY);
        dissent.getProvision()
                .addActor()
                .setRole(new CodeableConcept(
                        new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference("Organization/SYNAM"));
        dissent.getProvision().addClass_(new Coding("http://hl7.org/fhir/resource-types", "AllergyIntolerance", null));
        write(GP, dissent);

        await().atMost(PUBLISHED).until(() -> !pull(ED, nhs, true, null).body().contains("GPC-DISSENTED-ALLERGY"));
        assertThat(texts(pull(GP, nhs, true, null))).containsExactly("GPC-DISSENTED-ALLERGY");
        assertThat(search(ED, "AllergyIntolerance?patient=Patient/" + id).body())
                .doesNotContain("GPC-DISSENTED-ALLERGY");
    }

    @Test
    void anEntryTheGpSummaryHasNotPublishedIsOnlyThePractices() throws Exception {
        switchboard.disable("gp-summary");
        try {
            write(GP, statement(dotId, "GPC-HELD-UNPUBLISHED", null));

            assertThat(texts(pull(GP, DOT, true, null))).contains("GPC-HELD-UNPUBLISHED");
            assertThat(pull(ED, DOT, true, null).body())
                    .doesNotContain("GPC-HELD-UNPUBLISHED")
                    .contains("GPC-CURRENT-INHALER");
        } finally {
            switchboard.enable("gp-summary");
        }
    }

    @Test
    void badParametersAre400NamingTheParameterAndAnUnknownPatient404() throws Exception {
        Parameters noNumber = new Parameters();
        noNumber.addParameter().setName("includeMedication");
        Parameters wrongSystem = new Parameters();
        wrongSystem
                .addParameter()
                .setName("patientNHSNumber")
                .setValue(new org.hl7.fhir.r4.model.Identifier()
                        .setSystem("urn:oid:2.16.840.1.113883.2.1.4.1")
                        .setValue(DOT));
        Parameters badPart = request(DOT, true, null);
        badPart.getParameter("includeAllergies")
                .getPartFirstRep()
                .setValue(new org.hl7.fhir.r4.model.StringType("yes"));
        Parameters badDate = parameters(DOT);
        badDate.addParameter()
                .setName("includeMedication")
                .addPart()
                .setName("medicationSearchFromDate")
                .setValue(new org.hl7.fhir.r4.model.StringType("last year"));
        Parameters unknownParameter = parameters(DOT);
        unknownParameter.addParameter().setName("includeEverything");

        assertRefused(send(GP, json(noNumber), "application/fhir+json"), 400, "INVALID_PARAMETER", "patientNHSNumber");
        assertRefused(
                send(GP, json(wrongSystem), "application/fhir+json"),
                400,
                "INVALID_PARAMETER",
                "patientNHSNumber.system");
        assertRefused(
                send(GP, json(badPart), "application/fhir+json"), 400, "INVALID_PARAMETER", "includeResolvedAllergies");
        assertRefused(
                send(GP, json(badDate), "application/fhir+json"), 400, "INVALID_PARAMETER", "medicationSearchFromDate");
        assertRefused(
                send(GP, json(unknownParameter), "application/fhir+json"),
                400,
                "INVALID_PARAMETER",
                "includeEverything");
        assertRefused(pull(GP, "9990000078", true, null), 400, "INVALID_NHS_NUMBER", "9990000078");
        assertRefused(
                send(GP, "{\"resourceType\":\"Patient\"}", "application/fhir+json"), 400, "BAD_REQUEST", "Parameters");
        String unknown = NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits());
        HttpResponse<String> notFound = pull(GP, unknown, true, null);
        assertRefused(notFound, 404, "PATIENT_NOT_FOUND", "patientNHSNumber");
        assertThat(notFound.body()).as("the number asked for is not repeated").doesNotContain(unknown);
    }

    // ── The pull ───────────────────────────────────────────────────────────────────────────────────────────────

    private HttpResponse<String> pull(String as, String nhsNumber, boolean resolved, String from) throws Exception {
        return send(as, json(request(nhsNumber, resolved, from)), "application/fhir+json");
    }

    private static Parameters request(String nhsNumber, boolean resolved, String from) {
        Parameters parameters = parameters(nhsNumber);
        parameters
                .addParameter()
                .setName("includeAllergies")
                .addPart()
                .setName("includeResolvedAllergies")
                .setValue(new org.hl7.fhir.r4.model.BooleanType(resolved));
        Parameters.ParametersParameterComponent medication =
                parameters.addParameter().setName("includeMedication");
        if (from != null) {
            medication.addPart().setName("medicationSearchFromDate").setValue(new org.hl7.fhir.r4.model.DateType(from));
        }
        return parameters;
    }

    private static Parameters parameters(String nhsNumber) {
        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("patientNHSNumber")
                .setValue(new org.hl7.fhir.r4.model.Identifier()
                        .setSystem(NhsNumber.SYSTEM)
                        .setValue(nhsNumber));
        return parameters;
    }

    private URI operationUri() {
        return URI.create("http://localhost:" + port + "/fhir/Patient/$gpc.getstructuredrecord");
    }

    private HttpResponse<String> send(String as, String body, String contentType) throws Exception {
        return http.send(
                HttpRequest.newBuilder(operationUri())
                        .header("Authorization", "Bearer " + token(as))
                        .header("Accept", "application/fhir+json")
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> search(String as, String query) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + query))
                        .header("Authorization", "Bearer " + token(as))
                        .header("Accept", "application/fhir+json")
                        .header("Cache-Control", "no-cache")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ── What is written ────────────────────────────────────────────────────────────────────────────────────────

    /** A patient registered at the practice, with an allergy the GP recorded; their NHS number. */
    private String patientWithAllergy(String marker) throws Exception {
        String nhs = NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits());
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
        patient.addName().setFamily("Other-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        String id = create(GP, patient);
        write(GP, allergy(id, marker, "active"));
        return nhs;
    }

    private String patientId(String nhsNumber) throws Exception {
        Bundle found = (Bundle) FHIR.newJsonParser()
                .parseResource(search(GP, "Patient?identifier=" + NhsNumber.SYSTEM + "%7C" + nhsNumber)
                        .body());
        return found.getEntryFirstRep().getResource().getIdElement().getIdPart();
    }

    private static AllergyIntolerance allergy(String patientId, String marker, String status) {
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.setPatient(new Reference("Patient/" + patientId));
        allergy.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", status, null)));
        allergy.setCode(new CodeableConcept(new Coding(SNOMED, "91936005", null)).setText(marker));
        return allergy;
    }

    private static MedicationStatement statement(String patientId, String marker, String ended) {
        MedicationStatement statement = new MedicationStatement()
                .setStatus(
                        ended == null
                                ? MedicationStatement.MedicationStatementStatus.ACTIVE
                                : MedicationStatement.MedicationStatementStatus.COMPLETED)
                .setSubject(new Reference("Patient/" + patientId))
                .setMedication(new CodeableConcept().setText(marker));
        Period period = new Period().setStartElement(new DateTimeType("2019-06-01"));
        if (ended != null) {
            period.setEndElement(new DateTimeType(ended));
        }
        statement.setEffective(period);
        return statement;
    }

    private static MedicationRequest request(String patientId, String marker) {
        return new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setSubject(new Reference("Patient/" + patientId))
                .setMedication(new CodeableConcept().setText(marker))
                .setAuthoredOnElement(new DateTimeType("2025-11-01"));
    }

    private String create(String as, Resource resource) throws Exception {
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/" + resource.fhirType()))
                        .header("Authorization", "Bearer " + token(as))
                        .header("Content-Type", "application/fhir+json")
                        .header("Prefer", "return=minimal")
                        .POST(HttpRequest.BodyPublishers.ofString(json(resource)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("set-up write: " + created.body()).isEqualTo(201);
        return new IdType(created.headers().firstValue("Location").orElseThrow()).getIdPart();
    }

    private void write(String as, Resource resource) throws Exception {
        create(as, resource);
    }

    // ── Reading answers ────────────────────────────────────────────────────────────────────────────────────────

    private static Bundle bundle(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return (Bundle) FHIR.newJsonParser().parseResource(answer.body());
    }

    /** The markers of the allergies and medication a record (or search) answer holds. */
    private static List<String> texts(HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            return List.of();
        }
        return bundle(answer).getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .map(r -> switch (r) {
                    case AllergyIntolerance a -> a.getCode().getText();
                    case MedicationStatement s ->
                        s.getMedicationCodeableConcept().getText();
                    case MedicationRequest m -> m.getMedicationCodeableConcept().getText();
                    case null, default -> null;
                })
                .filter(t -> t != null)
                .toList();
    }

    private static List<String> codes(HttpResponse<String> answer) {
        OperationOutcome outcome = (OperationOutcome) FHIR.newJsonParser().parseResource(answer.body());
        return outcome.getIssue().stream()
                .flatMap(i -> i.getDetails().getCoding().stream())
                .map(Coding::getCode)
                .toList();
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String code, String naming) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(codes(answer)).as(answer.body()).contains(code);
        assertThat(answer.body()).contains(naming);
    }

    private static String json(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private synchronized String token(String as) {
        return tokens.computeIfAbsent(as, a -> {
            TokenClient client = new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"));
            if (a.startsWith("client:")) {
                String id = a.substring("client:".length());
                return client.forClient(id, realm.client(id).orElseThrow().secret());
            }
            return client.forUser(PUBLIC_CLIENT, realm.user(a).orElseThrow(), PASSWORD);
        });
    }
}
