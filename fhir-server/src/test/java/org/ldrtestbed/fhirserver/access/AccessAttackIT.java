package org.ldrtestbed.fhirserver.access;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.MedicationRequest;
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
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ContextConfiguration;

/**
 * One regression test per access or audit defect issue #9 lists, each as the assurance team reproduced it, against the
 * access spec (/work/access-spec.md). Each patient here is fresh (a synthetic NHS number) so the tests do not depend
 * on one another; entries are written by the MESH mailbox (organisation SYNMX, which no reader works for) unless a test
 * says otherwise. Registration with the GP practice SYNG09 is the only care event unless a test writes another.
 */
@SpringBootTest(classes = FhirServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = PostgresTestbedInitializer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessAttackIT {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String PRIVACY = "privacyofficer.reyes";
    private static final String SEXUAL_HEALTH = "https://fhir.ldr-testbed.example/CodeSystem/sensitive-category";
    private static final String MARKERS = AttackMatrix.MARKERS;

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private ActorTokens tokens;
    private long next = 7_100_000L;

    @BeforeAll
    void realm() {
        tokens = new ActorTokens(port);
    }

    // ── Classification of documents ────────────────────────────────────────────────────────────────────────────

    /**
     * A stored document Bundle is its patient's record (class documents): another patient, the proxy (not granted
     * Bundle) and a professional without a relationship get 403, and a Bundle search shows none of it to them.
     */
    @Test
    void documentBundlesAreNotOpenToEveryone() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String dot = dotId();
        String marker = marker();
        String bundle = create("mesh-mailbox", document(dot, "9990000077", marker));

        assertAbsent(soft, get("/fhir/" + bundle, "patient.arjun"));
        assertRefused(soft, get("/fhir/" + bundle, "proxy.susan"), "not-granted");
        assertRefused(soft, get("/fhir/" + bundle, "edconsultant.marsh"), "no-relationship");
        for (String reader : List.of("patient.arjun", "proxy.susan", "edconsultant.marsh")) {
            HttpResponse<String> search = get("/fhir/Bundle?_count=200", reader);
            soft.assertThat(search.body()).as("Bundle search as " + reader).doesNotContain(marker);
            soft.assertThat(search.body()).as("Bundle search as " + reader).doesNotContain(bundle);
        }
        soft.assertThat(get("/fhir/" + bundle, "gp.ashdown").statusCode())
                .as("the registered GP reads it: the test can pass")
                .isEqualTo(200);
        soft.assertAll();
    }

    // ── Writes ─────────────────────────────────────────────────────────────────────────────────────────────────

    /** A PATCH by a professional without a relationship (and not the writer) is 403 and returns nothing of it. */
    @Test
    void aPatchByAProfessionalWithoutARelationshipIsRefusedAndReturnsNothing() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String patient = patient();
        String marker = marker();
        String observation = create("mesh-mailbox", observation(patient, marker));
        Snapshot before = snapshot(observation);

        HttpResponse<String> patched = send(
                "PATCH",
                "/fhir/" + observation,
                "edconsultant.marsh",
                "[{\"op\":\"add\",\"path\":\"/language\",\"value\":\"en-GB\"}]",
                "application/json-patch+json",
                Map.of());

        assertRefused(soft, patched, "not-writer");
        soft.assertThat(patched.body()).doesNotContain(marker);
        soft.assertThat(snapshot(observation)).isEqualTo(before);
        soft.assertAll();
    }

    /**
     * A patient cannot re-home another patient's Observation into their own record (PATCH or PUT), delete it, plant
     * entries in that record (even of a type patients may write), or label it sensitive.
     */
    @Test
    void aPatientCannotRehomeDeletePlantOrLabelAnotherPatientsEntries() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String dot = dotId();
        String arjun = arjunId();
        String marker = marker();
        String observation = create("mesh-mailbox", observation(arjun, marker));
        Snapshot before = snapshot(observation);

        HttpResponse<String> patch = send(
                "PATCH",
                "/fhir/" + observation,
                "patient.dot",
                "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"Patient/" + dot + "\"}]",
                "application/json-patch+json",
                Map.of());
        assertRefused(soft, patch, "other-patient", "moves-record");
        soft.assertThat(snapshot(observation)).as("after PATCH").isEqualTo(before);

        Observation moved = (Observation) parse(before.body());
        moved.setSubject(new Reference("Patient/" + dot));
        assertRefused(soft, put(observation, moved, "patient.dot"), "other-patient", "moves-record");
        soft.assertThat(snapshot(observation)).as("after PUT").isEqualTo(before);

        assertRefused(
                soft,
                send("DELETE", "/fhir/" + observation, "patient.dot", null, null, Map.of()),
                "other-patient",
                "delete-refused");
        soft.assertThat(snapshot(observation)).as("after DELETE").isEqualTo(before);

        String planted = marker();
        assertRefused(soft, post("Observation", observation(arjun, planted), "patient.dot"), "other-patient");
        MedicationRequest order = new MedicationRequest()
                .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                .setMedication(new CodeableConcept().setText("Synthetic repeat"))
                .setSubject(new Reference("Patient/" + arjun));
        String plantedOrder = marker();
        order.getMeta().addTag(MARKERS, plantedOrder, null);
        assertRefused(soft, post("MedicationRequest", order, "patient.dot"), "other-patient");
        soft.assertThat(storedWithTag("Observation", planted))
                .as("planted Observation")
                .isZero();
        soft.assertThat(storedWithTag("MedicationRequest", plantedOrder))
                .as("planted MedicationRequest")
                .isZero();

        assertRefused(soft, metaAdd(observation, "patient.dot"), "other-patient");
        soft.assertThat(snapshot(observation)).as("after $meta-add").isEqualTo(before);
        soft.assertAll();
    }

    /**
     * Hard delete and $expunge are the testbed admin's only: not the writing organisation's own clinician, not a
     * system client; the admin's delete and expunge succeed (so the refusals are not an outage).
     */
    @Test
    void noProfessionalOrSystemDeletesOrExpungesOnlyTheTestbedAdmin() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String patient = patient();
        String observation = create("gp.ashdown", observation(patient, marker()));
        Snapshot before = snapshot(observation);

        assertRefused(
                soft, send("DELETE", "/fhir/" + observation, "gp.ashdown", null, null, Map.of()), "delete-refused");
        assertRefused(
                soft,
                send("DELETE", "/fhir/Observation?_id=" + idOf(observation), "gp.ashdown", null, null, Map.of()),
                "delete-refused");
        assertRefused(soft, expunge("/fhir/" + observation + "/$expunge", "gp.ashdown"), "delete-refused");
        assertRefused(soft, expunge("/fhir/Observation/$expunge", "gp.ashdown"), "delete-refused");
        assertRefused(soft, expunge("/fhir/$expunge", "edconsultant.marsh"), "delete-refused");
        assertRefused(
                soft,
                send("DELETE", "/fhir/" + observation, "client:gp-clinical-system", null, null, Map.of()),
                "delete-refused");
        soft.assertThat(snapshot(observation)).isEqualTo(before);

        HttpResponse<String> deleted =
                send("DELETE", "/fhir/" + observation, "digitallead.okonjo", null, null, Map.of());
        soft.assertThat(deleted.statusCode() / 100).as(deleted.body()).isEqualTo(2);
        HttpResponse<String> expunged = expunge("/fhir/" + observation + "/$expunge", "digitallead.okonjo");
        soft.assertThat(expunged.statusCode()).as(expunged.body()).isEqualTo(200);
        soft.assertAll();
    }

    /**
     * Only the recording organisation changes or removes its labels: the acute trust (in the patient's care team)
     * cannot $meta-delete the GP's sexual-health label, and then still cannot read the entry.
     */
    @Test
    void anotherOrganisationCannotRemoveASensitiveLabelAndThenReadTheEntry() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String patient = patient();
        create("mesh-mailbox", MatrixEntries.careTeam(patient, List.of("SYNAC", "SYNG09")));
        String marker = marker();
        Observation labelled = observation(patient, marker);
        labelled.getMeta().addSecurity(SEXUAL_HEALTH, "sexual-health", null);
        String observation = create("client:gp-clinical-system", labelled);
        Snapshot before = snapshot(observation);

        HttpResponse<String> removed = send(
                "POST",
                "/fhir/" + observation + "/$meta-delete",
                "edconsultant.marsh",
                metaParameters(SEXUAL_HEALTH, "sexual-health"),
                "application/fhir+json",
                Map.of());

        assertRefused(soft, removed, "not-writer");
        soft.assertThat(removed.body()).doesNotContain("sexual-health").doesNotContain(marker);
        soft.assertThat(snapshot(observation)).isEqualTo(before);
        HttpResponse<String> read = get("/fhir/" + observation, "edconsultant.marsh");
        assertAbsent(soft, read);
        soft.assertThat(read.body()).doesNotContain(marker);
        soft.assertAll();
    }

    /**
     * $meta is a read at instance level (404 for another organisation: a sensitive entry is answered as absent) and
     * refused at type and system level
     * (403 operation) to restricted actors; no answer names the sensitive category or its label.
     */
    @Test
    void metaAtInstanceTypeAndSystemLevelNeverNamesTheSensitiveCategory() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String patient = patient();
        Observation labelled = observation(patient, marker());
        labelled.getMeta().addSecurity(SEXUAL_HEALTH, "assisted-fertilisation", null);
        String observation = create("mesh-mailbox", labelled);

        HttpResponse<String> instance = get("/fhir/" + observation + "/$meta", "gp.ashdown");
        assertAbsent(soft, instance);
        HttpResponse<String> type = get("/fhir/Observation/$meta", "gp.ashdown");
        assertRefused(soft, type, "operation");
        HttpResponse<String> system = get("/fhir/$meta", "gp.ashdown");
        assertRefused(soft, system, "operation");
        for (HttpResponse<String> answer : List.of(instance, type, system)) {
            soft.assertThat(answer.body()).doesNotContain("assisted-fertilisation");
        }
        soft.assertAll();
    }

    // ── Relationships and consent ──────────────────────────────────────────────────────────────────────────────

    /** A proxy cannot write Consent (so cannot grant herself access), and sees no more afterwards. */
    @Test
    void aProxyCannotGrantHerselfAccess() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String dot = dotId();
        String marker = marker();
        String condition = create("mesh-mailbox", condition(dot, marker, "Synthetic problem"));
        // Naming the types she wants, as the assurance team did: a grant like the patient's own.
        Consent grant = MatrixEntries.proxyGrant(
                dot, "proxy.susan", List.of("Condition", "Observation", "MedicationStatement", "Bundle", "AuditEvent"));

        HttpResponse<String> posted = post("Consent", grant, "proxy.susan");

        assertRefused(soft, posted, "not-granted");
        assertRefused(soft, get("/fhir/" + condition, "proxy.susan"), "not-granted");
        HttpResponse<String> search = get("/fhir/Condition?patient=Patient/" + dot + "&_count=200", "proxy.susan");
        soft.assertThat(search.body()).doesNotContain(marker);
        soft.assertAll();
    }

    /**
     * Recording care is not a care event: the acute trust, with no relationship to the patient, records an
     * Observation (allowed) and still cannot read the patient's Condition.
     */
    @Test
    void oneObservationCreatesNoLegitimateRelationship() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String patient = patient();
        String marker = marker();
        String condition = create("mesh-mailbox", condition(patient, marker, "Synthetic problem"));
        assertRefused(soft, get("/fhir/" + condition, "edconsultant.marsh"), "no-relationship");

        HttpResponse<String> recorded = post("Observation", observation(patient, marker()), "edconsultant.marsh");
        soft.assertThat(recorded.statusCode()).as(recorded.body()).isEqualTo(201);

        HttpResponse<String> after = get("/fhir/" + condition, "edconsultant.marsh");
        assertRefused(soft, after, "no-relationship");
        soft.assertThat(after.body()).doesNotContain(marker);
        HttpResponse<String> search =
                get("/fhir/Condition?patient=Patient/" + patient + "&_count=200", "edconsultant.marsh");
        soft.assertThat(search.body()).doesNotContain(marker);
        soft.assertAll();
    }

    // ── Oracles ────────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * A search for a code the patient has, in an entry withheld as sensitive, answers exactly as a search for a code
     * the patient lacks (Bundle id, timestamps and links aside): the OperationOutcome depends on the reader, record
     * and type only, and neither mentions `sensitive`.
     */
    @Test
    void aCodeSpecificSearchSaysTheSameWhetherOrNotAWithheldEntryMatches() throws Exception {
        String patient = patient();
        Condition sensitive = condition(patient, marker(), null);
        sensitive.getCode().addCoding(new Coding("http://snomed.info/sct", "240589008", "Chlamydia (synthetic)"));
        sensitive.getMeta().addSecurity(SEXUAL_HEALTH, "sexual-health", null);
        create("mesh-mailbox", sensitive);

        String has = normalised(get(
                "/fhir/Condition?patient=Patient/" + patient + "&code=" + encode("http://snomed.info/sct|240589008"),
                "gp.ashdown"));
        String lacks = normalised(get(
                "/fhir/Condition?patient=Patient/" + patient + "&code=" + encode("http://snomed.info/sct|38341003"),
                "gp.ashdown"));

        assertThat(has).isEqualTo(lacks);
        assertThat(has).doesNotContain("sensitive");
    }

    /**
     * History of a record with a withheld entry answers 200 and leaves it out, at instance, type and system level (a
     * single instance's history may instead be 403 with the reason; never a 5xx).
     */
    @Test
    void historyOfARecordWithAWithheldEntryIs200WithTheEntryLeftOut() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String patient = patient();
        String marker = marker();
        Observation labelled = observation(patient, marker);
        labelled.getMeta().addSecurity(SEXUAL_HEALTH, "sexual-health", null);
        String observation = create("mesh-mailbox", labelled);

        for (String path : List.of("/fhir/Observation/_history?_count=200", "/fhir/_history?_count=200")) {
            HttpResponse<String> history = get(path, "gp.ashdown");
            soft.assertThat(history.statusCode())
                    .as(path + ": " + abbreviate(history.body()))
                    .isEqualTo(200);
            soft.assertThat(history.body()).as(path).doesNotContain(marker);
        }
        HttpResponse<String> instance = get("/fhir/" + observation + "/_history", "gp.ashdown");
        soft.assertThat(instance.statusCode()).as(abbreviate(instance.body())).isIn(200, 403);
        soft.assertThat(instance.body()).doesNotContain(marker);
        soft.assertAll();
    }

    // ── Audit ──────────────────────────────────────────────────────────────────────────────────────────────────

    /**
     * Deletes, re-homing writes (refused or not), Bundle reads and $meta reads are in the trail of the patient they
     * touch: the privacy officer's AuditEvent?patient=&altid= shows each, naming the entry.
     */
    @Test
    void deletesRehomingWritesBundleAndMetaReadsAreAttributedToThePatient() throws Exception {
        SoftAssertions soft = new SoftAssertions();
        String dot = dotId();
        String arjun = arjunId();
        String patient = patient();

        String doomed = create("mesh-mailbox", observation(patient, marker()));
        send("DELETE", "/fhir/" + doomed, "digitallead.okonjo", null, null, Map.of());
        assertAudited(soft, patient, "digitallead.okonjo", doomed, "delete");

        String arjuns = create("mesh-mailbox", observation(arjun, marker()));
        Observation moved = (Observation) parse(snapshot(arjuns).body());
        moved.setSubject(new Reference("Patient/" + dot));
        put(arjuns, moved, "patient.dot");
        assertAudited(soft, arjun, "patient.dot", arjuns, "re-homing PUT");

        String bundle = create("mesh-mailbox", document(patient, null, marker()));
        get("/fhir/" + bundle, "edconsultant.marsh");
        assertAudited(soft, patient, "edconsultant.marsh", bundle, "Bundle read");

        String observation = create("mesh-mailbox", observation(patient, marker()));
        get("/fhir/" + observation + "/$meta", "gp.ashdown");
        assertAudited(soft, patient, "gp.ashdown", observation, "$meta read");
        soft.assertAll();
    }

    /** AuditEvent?patient= pages with next links to the end of a trail longer than 200 events. */
    @Test
    void theAuditTrailPagesToItsEnd() throws Exception {
        String patient = patient();
        int reads = 230;
        for (int i = 0; i < reads; i++) {
            assertThat(get("/fhir/Patient/" + patient, "pharmacist.adeyemi").statusCode())
                    .isEqualTo(200);
        }

        Set<String> ids = new LinkedHashSet<>();
        String url = "http://localhost:" + port + "/fhir/AuditEvent?patient=Patient/" + patient
                + "&altid=pharmacist.adeyemi";
        for (int page = 0; url != null && page < 50; page++) {
            HttpResponse<String> response = sendAbsolute("GET", url, PRIVACY, null, null, Map.of());
            assertThat(response.statusCode()).as(abbreviate(response.body())).isEqualTo(200);
            Bundle bundle = (Bundle) parse(response.body());
            bundle.getEntry().stream()
                    .filter(e -> e.getResource() instanceof AuditEvent)
                    .forEach(e -> ids.add(e.getResource().getIdElement().getIdPart()));
            url = bundle.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : bundle.getLink(Bundle.LINK_NEXT).getUrl();
        }

        assertThat(ids).as("distinct events over every page").hasSize(reads);
    }

    /**
     * Failed authentication leaves a trace: after a request with a malformed bearer token (401), the privacy officer's
     * AuditEvent search (newest first, no patient) holds an AuditEvent with a failure outcome (4 or 8) for that
     * request, found by the X-Request-ID the request carried (the trail's BALP XrequestId entity).
     */
    @Test
    void aFailedAuthenticationLeavesATrace() throws Exception {
        String requestId =
                "mx401" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        HttpResponse<String> refused = sendAbsolute(
                "GET",
                "http://localhost:" + port + "/fhir/Observation?_count=1",
                null,
                null,
                null,
                Map.of("Authorization", "Bearer not.a.token", "X-Request-ID", requestId));
        assertThat(refused.statusCode()).isEqualTo(401);

        HttpResponse<String> trail = get("/fhir/AuditEvent", PRIVACY);
        assertThat(trail.statusCode()).isEqualTo(200);
        Bundle bundle = (Bundle) parse(trail.body());
        List<AuditEvent> traces = new ArrayList<>();
        bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof AuditEvent)
                .map(r -> (AuditEvent) r)
                .filter(e -> FHIR.newJsonParser().encodeResourceToString(e).contains(requestId))
                .forEach(traces::add);
        assertThat(traces).as("AuditEvents for request " + requestId).isNotEmpty();
        assertThat(traces.getFirst().getOutcome().toCode()).isIn("4", "8");
    }

    // ── Helpers ────────────────────────────────────────────────────────────────────────────────────────────────

    private void assertAudited(SoftAssertions soft, String patientId, String username, String reference, String what)
            throws Exception {
        HttpResponse<String> response =
                get("/fhir/AuditEvent?patient=Patient/" + patientId + "&altid=" + username, PRIVACY);
        soft.assertThat(response.statusCode()).isEqualTo(200);
        soft.assertThat(response.body())
                .as(what + " by " + username + " in the trail of Patient/" + patientId)
                .contains(reference);
    }

    private record Snapshot(int status, String version, String body) {}

    private Snapshot snapshot(String reference) throws Exception {
        HttpResponse<String> response = get("/fhir/" + reference, "client:mesh-mailbox");
        if (response.statusCode() != 200) {
            return new Snapshot(response.statusCode(), null, null);
        }
        Resource resource = (Resource) parse(response.body());
        // A publishing flow tags what it has published, a moment after the write: that is no change by the attacker.
        resource.getMeta().getTag().removeIf(t -> SharingFlow.PUBLISHED_BY.equals(t.getSystem()));
        return new Snapshot(
                200, resource.getMeta().getVersionId(), FHIR.newJsonParser().encodeResourceToString(resource));
    }

    private long storedWithTag(String type, String marker) throws Exception {
        HttpResponse<String> response =
                get("/fhir/" + type + "?_tag=" + encode(MARKERS + "|" + marker), "client:mesh-mailbox");
        assertThat(response.statusCode()).isEqualTo(200);
        return ((Bundle) parse(response.body()))
                .getEntry().stream()
                        .filter(e -> e.getResource() != null && !(e.getResource() instanceof OperationOutcome))
                        .count();
    }

    /** A search answer without what differs between any two searches: ids, timestamps, links. */
    private static String normalised(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(abbreviate(response.body())).isEqualTo(200);
        return SearchAnswers.normalised(response.body());
    }

    /** Refused with 403 and one of the reasons (a write refused on several grounds may name any of them). */
    private static void assertRefused(SoftAssertions soft, HttpResponse<String> response, String... reasons) {
        soft.assertThat(response.statusCode())
                .as(response.request().method() + " " + response.request().uri().getPath() + ": "
                        + abbreviate(response.body()))
                .isEqualTo(403);
        soft.assertThat(AccessMatrix.denialReasons(response.body()))
                .as("reason in " + abbreviate(response.body()))
                .containsAnyOf(reasons);
    }

    /**
     * A read of another patient's entry, or of a sensitive one, is answered as if it did not exist: a 403 would
     * confirm that it is there and what kind of entry it is.
     */
    private static void assertAbsent(SoftAssertions soft, HttpResponse<String> response) {
        soft.assertThat(response.statusCode())
                .as(response.request().method() + " " + response.request().uri().getPath() + ": "
                        + abbreviate(response.body()))
                .isEqualTo(404);
    }

    private String dotId() throws Exception {
        return patientWith("9990000077");
    }

    private String arjunId() throws Exception {
        return patientWith("9990000085");
    }

    /** The patient with this NHS number, registered with SYNG09 the first time it is asked for. */
    private synchronized String patientWith(String nhsNumber) throws Exception {
        HttpResponse<String> found =
                get("/fhir/Patient?identifier=" + encode(NhsNumber.SYSTEM + "|" + nhsNumber), "client:mesh-mailbox");
        Bundle bundle = (Bundle) parse(found.body());
        for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
            if (e.getResource() instanceof Patient p) {
                return p.getIdElement().getIdPart();
            }
        }
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("Attack-Synthetic");
        patient.addGeneralPractitioner().setReference("Organization/SYNG09");
        return idOf(create("mesh-mailbox", patient));
    }

    private String patient() throws Exception {
        String nhs;
        synchronized (this) {
            nhs = NhsNumber.syntheticFrom(next += 1_000L);
        }
        return patientWith(nhs);
    }

    private static String marker() {
        return "MXA" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "Z";
    }

    private static Observation observation(String patientId, String marker) {
        Observation observation = new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept().setText("Attack observation (synthetic)"))
                .setSubject(new Reference("Patient/" + patientId));
        observation.getMeta().addTag(MARKERS, marker, null);
        observation.addIdentifier().setSystem(MARKERS).setValue(marker);
        return observation;
    }

    private static Condition condition(String patientId, String marker, String text) {
        Condition condition = new Condition().setSubject(new Reference("Patient/" + patientId));
        condition.setClinicalStatus(new CodeableConcept(
                new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
        if (text != null) {
            condition.getCode().setText(text);
        }
        condition.getMeta().addTag(MARKERS, marker, null);
        return condition;
    }

    private static Bundle document(String patientId, String nhsNumber, String marker) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID());
        bundle.setTimestamp(new java.util.Date());
        bundle.getMeta().addTag(MARKERS, marker, null);
        Composition composition = new Composition()
                .setStatus(Composition.CompositionStatus.FINAL)
                .setType(new CodeableConcept().setText("Discharge summary (synthetic)"))
                .setSubject(new Reference("Patient/" + patientId))
                .setDateElement(DateTimeType.now())
                .setTitle("Discharge summary (synthetic) " + marker);
        composition.addAuthor().setDisplay("Synthetic author");
        bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);
        if (nhsNumber != null) {
            Patient copy = new Patient();
            copy.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
            bundle.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(copy);
        }
        return bundle;
    }

    private static String metaParameters(String system, String code) {
        return "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{\"security\":[{"
                + "\"system\":\"" + system + "\",\"code\":\"" + code + "\"}]}}]}";
    }

    private HttpResponse<String> metaAdd(String reference, String as) throws Exception {
        return send(
                "POST",
                "/fhir/" + reference + "/$meta-add",
                as,
                metaParameters(SEXUAL_HEALTH, "sexual-health"),
                "application/fhir+json",
                Map.of());
    }

    private HttpResponse<String> expunge(String path, String as) throws Exception {
        return send(
                "POST",
                path,
                as,
                "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"expungeDeletedResources\","
                        + "\"valueBoolean\":true},{\"name\":\"expungePreviousVersions\",\"valueBoolean\":true}]}",
                "application/fhir+json",
                Map.of());
    }

    /** Creates as the actor (a username, or client:&lt;id&gt;); returns Type/id. */
    private String create(String as, Resource resource) throws Exception {
        String actor = as.contains(".") || as.startsWith("client:") ? as : "client:" + as;
        HttpResponse<String> created = post(resource.fhirType(), resource, actor);
        assertThat(created.statusCode())
                .as("set-up write: " + abbreviate(created.body()))
                .isEqualTo(201);
        return new org.hl7.fhir.r4.model.IdType(
                        created.headers().firstValue("Location").orElseThrow())
                .toUnqualifiedVersionless()
                .getValue();
    }

    private HttpResponse<String> post(String type, Resource resource, String as) throws Exception {
        return send(
                "POST",
                "/fhir/" + type,
                as,
                FHIR.newJsonParser().encodeResourceToString(resource),
                "application/fhir+json",
                Map.of());
    }

    private HttpResponse<String> put(String reference, Resource resource, String as) throws Exception {
        resource.setId(reference);
        return send(
                "PUT",
                "/fhir/" + reference,
                as,
                FHIR.newJsonParser().encodeResourceToString(resource),
                "application/fhir+json",
                Map.of());
    }

    private HttpResponse<String> get(String path, String as) throws Exception {
        return send("GET", path, as, null, null, Map.of());
    }

    private HttpResponse<String> send(
            String method, String path, String as, String body, String contentType, Map<String, String> headers)
            throws Exception {
        return sendAbsolute(method, "http://localhost:" + port + path, as, body, contentType, headers);
    }

    private HttpResponse<String> sendAbsolute(
            String method, String url, String as, String body, String contentType, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .header("Cache-Control", "no-cache");
        if (as != null) {
            request.header("Authorization", "Bearer " + tokens.token(as));
        }
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String idOf(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }

    private static IBaseResource parse(String body) {
        return FHIR.newJsonParser().parseResource(body);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
