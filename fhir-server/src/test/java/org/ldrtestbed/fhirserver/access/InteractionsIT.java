package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.ldrtestbed.fhirserver.FhirServerApplication;
import org.ldrtestbed.fhirserver.testsupport.PostgresTestbedInitializer;
import org.ldrtestbed.fhirserver.testsupport.TestbedClient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.TokenClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * Every kind of interaction the server offers, asked by someone the policy refuses: history, {@code $meta} at every
 * level, label changes, patches, updates that would move an entry, deletes and {@code $expunge}, batches and
 * transactions, stored document Bundles, {@code $everything}, operations the policy does not offer, and searches whose
 * answer would otherwise depend on what a withheld entry holds. Each refusal leaves the record as it was, and each
 * attempt is in the audit trail against the patient it was about.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteractionsIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String DOT = "9990000077";
    private static final String SENSITIVE_CODE = "33839006";
    private static final String ACUTE = "edconsultant.marsh";
    private static final String GP = "gp.ashdown";
    private static final String PARAMEDIC = "paramedic.hale";
    private static final String ADMIN = "digitallead.okonjo";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private TestbedClient testbed;
    private String dot;
    private String other;
    private String problem;
    private String sensitive;
    private String observation;
    private String document;

    /**
     * Dot (synthetic) registered with her GP and seen by the acute trust, which records a problem, a sensitive
     * problem, an observation and a discharge document; another patient the acute trust has seen.
     */
    @BeforeAll
    void record() {
        testbed = new TestbedClient(port);
        dot = testbed.create(ACUTE, patient(DOT));
        other = testbed.create(ACUTE, patient(NhsNumber.syntheticFrom(System.nanoTime())));
        testbed.create(ACUTE, encounter(dot));
        testbed.create(ACUTE, encounter(other));
        problem = testbed.create(ACUTE, condition(dot, "195967001", false));
        sensitive = testbed.create(ACUTE, condition(dot, SENSITIVE_CODE, true));
        observation = testbed.create(ACUTE, observation(dot));
        document = testbed.create(ACUTE, document());
    }

    @Test
    void historyLeavesOutWhatTheReaderMayNotSeeInsteadOfFailing() throws Exception {
        for (String path : List.of("/Condition/_history", "/_history", "/" + sensitive + "/_history")) {
            HttpResponse<String> history = send(GP, "GET", path, null);
            assertThat(history.statusCode()).as(path + ": " + history.body()).isEqualTo(200);
            assertThat(history.body()).as(path).doesNotContain(SENSITIVE_CODE);
        }
        assertThat(send(GP, "GET", "/Condition/_history", null).body()).contains(idOf(problem));
    }

    @Test
    void metaIsARead_andOverATypeOrServerIsRefused() throws Exception {
        assertThat(send(GP, "GET", "/" + sensitive + "/$meta", null).statusCode())
                .as("a sensitive entry is answered as if it did not exist")
                .isEqualTo(404);
        assertThat(send(PARAMEDIC, "GET", "/" + problem + "/$meta", null).statusCode())
                .isEqualTo(403);
        for (String path : List.of("/Condition/$meta", "/$meta")) {
            HttpResponse<String> meta = send(GP, "GET", path, null);
            assertThat(meta.statusCode()).as(path).isEqualTo(403);
            assertThat(reason(meta)).isEqualTo("operation");
            assertThat(meta.body()).doesNotContain("sexual");
        }
        assertThat(send(ACUTE, "GET", "/" + sensitive + "/$meta", null).statusCode())
                .as("the recording organisation reads its own entry's labels")
                .isEqualTo(200);
    }

    @Test
    void onlyTheRecordingOrganisationChangesAnEntryOrItsLabels() throws Exception {
        String labels =
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{\"security\":"
                        + "[{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"STD\"}]}}]}";
        HttpResponse<String> removed = send(GP, "POST", "/" + sensitive + "/$meta-delete", labels);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(403);
        assertThat(reason(removed)).isEqualTo("not-writer");
        assertThat(send(GP, "GET", "/" + sensitive, null).statusCode())
                .as("the label is still there")
                .isEqualTo(404);

        String patch = "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"}]";
        HttpResponse<String> patched = send(PARAMEDIC, "PATCH", "/" + observation, patch);
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(403);
        assertThat(patched.body()).doesNotContain("Respiratory rate");
        assertThat(versionOf(observation)).isEqualTo("1");
    }

    @Test
    void noWriteMovesAnEntryToAnotherPatient() throws Exception {
        Observation moved = (Observation) read(observation);
        moved.setSubject(new Reference("Patient/" + idOf(other)));
        HttpResponse<String> put =
                send(ACUTE, "PUT", "/" + observation, FHIR.newJsonParser().encodeResourceToString(moved));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(403);
        assertThat(reason(put)).isEqualTo("moves-record");
        assertThat(versionOf(observation)).isEqualTo("1");
    }

    @Test
    void entriesAreNotDeleted_onlyTheAdministratorDeletesOrExpunges() throws Exception {
        HttpResponse<String> deleted = send(ACUTE, "DELETE", "/" + observation, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(403);
        assertThat(reason(deleted)).isEqualTo("delete-refused");
        HttpResponse<String> conditional = send(ACUTE, "DELETE", "/Observation?subject=" + dot, null);
        assertThat(conditional.statusCode()).isEqualTo(403);
        String expunge = "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"expungeDeletedResources\","
                + "\"valueBoolean\":true}]}";
        assertThat(send(GP, "POST", "/$expunge", expunge).statusCode()).isEqualTo(403);
        assertThat(versionOf(observation)).isEqualTo("1");

        String spare = testbed.create(ACUTE, observation(dot));
        assertThat(send(ADMIN, "DELETE", "/" + spare, null).statusCode()).isIn(200, 204);
        assertThat(audit("Patient/" + idOf(dot), ACUTE)).contains("\"action\":\"D\"");
    }

    @Test
    void aWriteIsNoRelationship() throws Exception {
        assertThat(send(PARAMEDIC, "POST", "/Observation", json(observation(dot)))
                        .statusCode())
                .as("a professional records care without a relationship")
                .isEqualTo(201);
        HttpResponse<String> still = send(PARAMEDIC, "GET", "/" + problem, null);
        assertThat(still.statusCode()).isEqualTo(403);
        assertThat(reason(still)).isEqualTo("no-relationship");
    }

    @Test
    void aPatientWritesOnlyWhatTheyMayIntoTheirOwnRecord_andAProxyCannotWidenTheirAccess() throws Exception {
        HttpResponse<String> planted = send("patient.dot", "POST", "/Communication", communication(other));
        assertThat(planted.statusCode()).as(planted.body()).isEqualTo(403);
        assertThat(reason(planted)).isEqualTo("other-patient");
        HttpResponse<String> observed = send("patient.dot", "POST", "/Observation", json(observation(dot)));
        assertThat(observed.statusCode()).isEqualTo(403);
        assertThat(reason(observed)).isEqualTo("role");

        Consent grant = new Consent();
        grant.setStatus(Consent.ConsentState.ACTIVE);
        grant.setPatient(new Reference("Patient/" + idOf(dot)));
        grant.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        grant.getProvision()
                .addActor()
                .setReference(new Reference()
                        .setIdentifier(new Identifier()
                                .setSystem(PatientRecords.REALM_USER)
                                .setValue("proxy.susan")));
        grant.getProvision()
                .addClass_()
                .setSystem("http://hl7.org/fhir/resource-types")
                .setCode("Condition");
        HttpResponse<String> widened = send("proxy.susan", "POST", "/Consent", json(grant));
        assertThat(widened.statusCode()).as(widened.body()).isEqualTo(403);
        assertThat(send("proxy.susan", "GET", "/Condition?patient=" + dot, null).body())
                .doesNotContain(idOf(problem));
    }

    @Test
    void aStoredDocumentIsItsPatientsRecord() throws Exception {
        assertThat(send(PARAMEDIC, "GET", "/" + document, null).statusCode()).isEqualTo(403);
        assertThat(send("patient.arjun", "GET", "/Bundle", null).body()).doesNotContain(idOf(document));
        assertThat(send(PARAMEDIC, "GET", "/Bundle", null).body()).doesNotContain("Document-Synthetic");
        assertThat(send(GP, "GET", "/" + document, null).statusCode())
                .as("her GP, who has a relationship, reads it")
                .isEqualTo(200);
    }

    @Test
    void whatASearchSaysItWithheldDoesNotDependOnWhatMatched() throws Exception {
        HttpResponse<String> sensitiveSearch =
                send(GP, "GET", "/Condition?patient=" + dot + "&code=" + SENSITIVE_CODE, null);
        assertThat(sensitiveSearch.body())
                .as("labelled sensitive, seen only by the acute trust")
                .doesNotContain(idOf(sensitive));
        String with = withheldNotes(sensitiveSearch);
        String without = withheldNotes(send(GP, "GET", "/Condition?patient=" + dot + "&code=999999", null));
        assertThat(with).isEqualTo(without);
        String noRelationship =
                withheldNotes(send(PARAMEDIC, "GET", "/Condition?patient=" + dot + "&code=" + SENSITIVE_CODE, null));
        assertThat(noRelationship)
                .isEqualTo(withheldNotes(send(PARAMEDIC, "GET", "/Condition?patient=" + dot + "&code=999999", null)))
                .contains("no-relationship");
        assertThat(send(GP, "GET", "/Encounter?diagnosis:Condition.code=" + SENSITIVE_CODE, null)
                        .statusCode())
                .as("a chain into withheld entries is an oracle too")
                .isEqualTo(403);
    }

    @Test
    void batchesAndTransactionsAreDecidedEntryByEntry() throws Exception {
        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(sensitive);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Condition?patient=" + dot);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(observation);
        HttpResponse<String> answered = send(GP, "POST", "", json(batch));
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        assertThat(answered.body()).doesNotContain(SENSITIVE_CODE).contains(idOf(problem));

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(observation(dot)).getRequest().setMethod(Bundle.HTTPVerb.POST);
        transaction.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(problem);
        HttpResponse<String> refused = send(ACUTE, "POST", "", json(transaction));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(versionOf(observation)).isEqualTo("1");
        assertThat(versionOf(problem)).isEqualTo("1");
    }

    @Test
    void everythingAndOperationsNotOffered() throws Exception {
        HttpResponse<String> everything = send(PARAMEDIC, "GET", "/" + dot + "/$everything", null);
        assertThat(everything.body()).doesNotContain(idOf(problem)).doesNotContain(SENSITIVE_CODE);
        HttpResponse<String> counts = send(GP, "GET", "/$get-resource-counts", null);
        assertThat(counts.statusCode()).as(counts.body()).isEqualTo(403);
        assertThat(reason(counts)).isEqualTo("operation");
    }

    @Test
    void theAuditTrailPagesToItsEndAndRecordsFailedLogins() throws Exception {
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(URI.create(base() + "/" + problem)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(send("privacyofficer.reyes", "GET", "/AuditEvent?altid=anonymous", null)
                        .body())
                .contains(problem);

        for (int i = 0; i < 60; i++) {
            send(GP, "GET", "/" + problem, null);
        }
        List<String> seen = new ArrayList<>();
        String next = base() + "/AuditEvent?patient=Patient/" + idOf(dot) + "&altid=" + GP + "&_count=25";
        while (next != null) {
            Bundle page = FHIR.newJsonParser()
                    .parseResource(Bundle.class, sendUrl(ADMIN, next).body());
            page.getEntry().forEach(e -> seen.add(e.getResource().getIdElement().getIdPart()));
            next = page.getLink("next") == null ? null : page.getLink("next").getUrl();
        }
        assertThat(seen).hasSizeGreaterThanOrEqualTo(60).doesNotHaveDuplicates();
    }

    // ── Set-up and asking ───────────────────────────────────────────────────────────────────────────────────────

    private static Patient patient(String nhsNumber) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("Interactions-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        return patient;
    }

    private static Encounter encounter(String patient) {
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        encounter
                .getClass_()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                .setCode("IMP");
        encounter.setSubject(new Reference(patient));
        encounter.setServiceProvider(new Reference("Organization/SYNAC"));
        return encounter;
    }

    private static Condition condition(String patient, String code, boolean sensitive) {
        Condition condition = new Condition();
        condition.setSubject(new Reference(patient));
        condition.getCode().addCoding().setSystem("http://snomed.info/sct").setCode(code);
        if (sensitive) {
            condition
                    .getMeta()
                    .addSecurity()
                    .setSystem("http://terminology.hl7.org/CodeSystem/v3-ActCode")
                    .setCode("STD");
        }
        return condition;
    }

    private static Observation observation(String patient) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setSubject(new Reference(patient));
        observation.getCode().setText("Respiratory rate");
        return observation;
    }

    private String communication(String patient) {
        org.hl7.fhir.r4.model.Communication message = new org.hl7.fhir.r4.model.Communication();
        message.setStatus(org.hl7.fhir.r4.model.Communication.CommunicationStatus.COMPLETED);
        message.setSubject(new Reference(patient));
        return json(message);
    }

    /** A discharge document as the acute trust stores it: it names Dot only inside itself. */
    private Bundle document() {
        Patient patient = patient(DOT);
        patient.getNameFirstRep().setFamily("Document-Synthetic");
        Composition composition = new Composition();
        composition.setStatus(Composition.CompositionStatus.FINAL);
        composition.getType().setText("Discharge summary");
        composition.setTitle("Discharge summary (synthetic)");
        composition.setSubject(new Reference("urn:uuid:0f6c0000-0000-4000-8000-000000000002"));
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.setIdentifier(
                new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + java.util.UUID.randomUUID()));
        document.addEntry()
                .setFullUrl("urn:uuid:0f6c0000-0000-4000-8000-000000000001")
                .setResource(composition);
        document.addEntry()
                .setFullUrl("urn:uuid:0f6c0000-0000-4000-8000-000000000002")
                .setResource(patient);
        return document;
    }

    /** As a system client delivering flows, which the clinical rules do not bind. */
    private Resource read(String reference) {
        return (Resource) systemClient()
                .read()
                .resource(reference.split("/")[0])
                .withId(reference.split("/")[1])
                .execute();
    }

    private String versionOf(String reference) {
        return read(reference).getIdElement().getVersionIdPart();
    }

    private ca.uhn.fhir.rest.client.api.IGenericClient systemClient() {
        ca.uhn.fhir.rest.client.api.IGenericClient client = FHIR.newRestfulGenericClient(base());
        client.registerInterceptor(new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(
                new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                        .forClient("mesh-mailbox", "mesh-mailbox-synthetic-secret")));
        return client;
    }

    private String audit(String patient, String username) throws Exception {
        return send("privacyofficer.reyes", "GET", "/AuditEvent?patient=" + patient + "&altid=" + username, null)
                .body();
    }

    private HttpResponse<String> send(String username, String method, String path, String body) throws Exception {
        return send(username, method, URI.create(base() + path), body);
    }

    private HttpResponse<String> sendUrl(String username, String url) throws Exception {
        return send(username, "GET", URI.create(url), null);
    }

    private HttpResponse<String> send(String username, String method, URI uri, String body) throws Exception {
        String type = "PATCH".equals(method) ? "application/json-patch+json" : "application/fhir+json";
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + token(username))
                .header("Accept", "application/fhir+json")
                .header("Cache-Control", "no-cache")
                .header("Content-Type", type)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(String username) {
        return username.startsWith("patient.") || username.startsWith("proxy.")
                ? new TokenClient(URI.create("http://localhost:" + port + "/realms/ldr-testbed"))
                        .forUser("testbed-scenarios", username, TestbedClient.PASSWORD, "openid patient/*.cruds")
                : testbed.token(username);
    }

    private String base() {
        return "http://localhost:" + port + "/fhir";
    }

    private static String json(Resource resource) {
        return FHIR.newJsonParser().encodeResourceToString(resource);
    }

    private static String idOf(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }

    private static String reason(HttpResponse<String> response) {
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        return outcome.getIssueFirstRep().getDetails().getCodingFirstRep().getCode();
    }

    /** The search result's notes on what it withheld, without the parts every search differs in. */
    private static String withheldNotes(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        StringBuilder notes = new StringBuilder();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof OperationOutcome outcome) {
                outcome.getIssue()
                        .forEach(i -> notes.append(
                                        i.getDetails().getCodingFirstRep().getCode())
                                .append(": ")
                                .append(i.getDiagnostics())
                                .append('\n'));
            } else {
                notes.append("entry ").append(entry.getResource().fhirType()).append('\n');
            }
        }
        return notes.toString();
    }
}
