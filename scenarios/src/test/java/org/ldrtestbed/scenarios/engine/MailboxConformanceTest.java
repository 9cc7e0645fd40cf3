package org.ldrtestbed.scenarios.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.conformance.ConformanceCheck;
import org.ldrtestbed.scenarios.conformance.FhirValidation;
import org.ldrtestbed.scenarios.conformance.SupplierSession;
import org.ldrtestbed.scenarios.conformance.SystemsFile.Endpoint;
import org.ldrtestbed.scenarios.conformance.SystemsFile.FlowBinding;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.sut.Fault;
import org.ldrtestbed.scenarios.sut.ReferenceGpSystem;

/**
 * How a conform session judges a discharge summary put in a GP system's MESH mailbox, from the run's exchanges (a
 * WireMock answers as the testbed's admin API) and what the reference GP system filed: put in the inbox, acknowledged
 * in time or not at all, found filed by its identifier for the right patient. In the engine's package, whose admin
 * API client the session is handed.
 */
class MailboxConformanceTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final FhirValidation VALIDATION = new FhirValidation(FHIR);
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final Instant PUT = Instant.parse("2026-03-02T10:15:00Z");
    private static final String EZRA = "9990000050";
    private static final String MESH_ID = "20260302101500000_ABC123";

    private final WireMockServer testbed = new WireMockServer(options().dynamicPort());
    private ReferenceGpSystem gp;

    @BeforeEach
    void start() {
        testbed.start();
    }

    @AfterEach
    void stop() {
        if (gp != null) {
            gp.close();
        }
        testbed.stop();
    }

    @Test
    void aSummaryAcknowledgedAtOnceAndFiledPassesEveryCheck() throws Exception {
        Bundle document = summary();
        file(Fault.NONE, document);

        List<ConformanceCheck> checks = judge(document, gp.baseUrl(), PUT.plusSeconds(1));

        assertThat(checks)
                .extracting(ConformanceCheck::check, ConformanceCheck::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("transport", ConformanceCheck.PASS),
                        org.assertj.core.groups.Tuple.tuple("acknowledgement", ConformanceCheck.PASS),
                        org.assertj.core.groups.Tuple.tuple("filed", ConformanceCheck.PASS));
        assertThat(checks.get(0).reason()).contains("SYNG09-MBX").contains(MESH_ID);
        assertThat(checks.get(1).reason()).isEqualTo("acknowledged after PT1S");
    }

    @Test
    void aLateAcknowledgementFails() throws Exception {
        Bundle document = summary();
        file(Fault.NONE, document);

        List<ConformanceCheck> checks = judge(document, gp.baseUrl(), PUT.plusSeconds(8));

        assertThat(check(checks, "acknowledgement").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(checks, "acknowledgement").reason()).contains("later than PT5S");
    }

    @Test
    void aSummaryNeverAcknowledgedNorFiledFailsBoth() throws Exception {
        Bundle document = summary();
        file(Fault.NONE, summary());

        List<ConformanceCheck> checks = judge(document, gp.baseUrl(), null);

        assertThat(check(checks, "transport").verdict()).isEqualTo(ConformanceCheck.PASS);
        assertThat(check(checks, "acknowledgement").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(checks, "acknowledgement").reason()).startsWith("never acknowledged");
        assertThat(check(checks, "filed").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(checks, "filed").reason()).startsWith("not filed");
    }

    @Test
    void aSummaryFiledForAnotherPatientFails() throws Exception {
        Bundle document = summary();
        file(Fault.WRONG_PATIENT, document);

        List<ConformanceCheck> checks = judge(document, gp.baseUrl(), PUT.plusSeconds(1));

        assertThat(check(checks, "filed").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(checks, "filed").reason()).contains("wrong patient").contains(Fault.WRONG_NHS_NUMBER);
    }

    @Test
    void withoutAFhirBaseWhatWasFiledIsNotTested() throws Exception {
        List<ConformanceCheck> checks = judge(summary(), null, PUT.plusSeconds(1));

        assertThat(check(checks, "acknowledgement").verdict()).isEqualTo(ConformanceCheck.PASS);
        assertThat(check(checks, "filed").verdict()).isEqualTo(ConformanceCheck.NOT_TESTED);
    }

    @Test
    void theAcknowledgementIsTimedOnTheServersClockNotTheRunsWhichJumpsToTheNextStep() throws Exception {
        Bundle document = summary();
        file(Fault.NONE, document);
        Instant kept = Instant.parse("2026-12-07T10:00:00Z");

        // Acknowledged 1 s after the put, while the journey's clock had moved on a day.
        List<ConformanceCheck> prompt =
                judge(document, gp.baseUrl(), PUT.plus(Duration.ofDays(1)), kept, kept.plusSeconds(1));
        assertThat(check(prompt, "acknowledgement").verdict()).isEqualTo(ConformanceCheck.PASS);
        assertThat(check(prompt, "acknowledgement").reason()).isEqualTo("acknowledged after PT1S");

        // Acknowledged 8 s after the put on the server's clock, whatever the run's says.
        List<ConformanceCheck> late = judge(document, gp.baseUrl(), PUT.plusSeconds(1), kept, kept.plusSeconds(8));
        assertThat(check(late, "acknowledgement").verdict()).isEqualTo(ConformanceCheck.FAIL);
        assertThat(check(late, "acknowledgement").reason()).contains("PT8S").contains("later than PT5S");
    }

    /** The run's exchanges as the testbed keeps them; the session judges them as a run ends. */
    private List<ConformanceCheck> judge(Bundle document, String fhirBase, Instant acknowledgedAt) throws Exception {
        return judge(document, fhirBase, acknowledgedAt, null, null);
    }

    /** With the instants the server kept the put and the acknowledgement at (null: not said). */
    private List<ConformanceCheck> judge(
            Bundle document, String fhirBase, Instant acknowledgedAt, Instant putKept, Instant acknowledgementKept)
            throws Exception {
        String wire = FHIR.newJsonParser().encodeResourceToString(document);
        SutExchange put = new SutExchange(
                1,
                "run-1",
                "reference-gp",
                "discharge-summary",
                "msg-1",
                SutExchange.TO_SUT,
                SystemUnderTest.MESH,
                "SYNG09-MBX",
                EZRA,
                wire,
                202,
                null,
                MESH_ID,
                null,
                PUT,
                putKept);
        List<SutExchange> exchanges = acknowledgedAt == null
                ? List.of(put)
                : List.of(
                        put,
                        new SutExchange(
                                2,
                                "run-1",
                                "reference-gp",
                                "discharge-summary",
                                "msg-1",
                                SutExchange.FROM_SUT,
                                SystemUnderTest.MESH,
                                "SYNG09-MBX",
                                EZRA,
                                "acknowledge " + MESH_ID,
                                200,
                                null,
                                MESH_ID,
                                null,
                                acknowledgedAt,
                                acknowledgementKept));
        testbed.stubFor(get(urlPathEqualTo("/testbed/runs/run-1/exchanges"))
                .willReturn(aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody(JSON.writeValueAsString(exchanges))));
        SystemBinding system = new SystemBinding(
                "reference-gp",
                "Reference GP",
                "SYNG09",
                List.of(new FlowBinding("discharge-summary", SystemUnderTest.MESH)),
                List.of(),
                new Endpoint(fhirBase, null, null, "SYNG09-MBX"),
                null);
        SupplierSession session = new SupplierSession(
                List.of(system),
                FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                VALIDATION,
                Duration.ofSeconds(1),
                List.of(),
                Clock.systemUTC());
        AdminApi admin = new AdminApi(URI.create(testbed.baseUrl()), () -> "admin-token", HttpClient.newHttpClient());
        JourneyResult result = new JourneyResult(
                "fixture",
                "Fixture",
                "fixture.journey.yaml",
                "run-1",
                testbed.baseUrl(),
                PUT,
                Duration.ofSeconds(10),
                EZRA,
                Set.of(),
                List.of(),
                List.of(),
                List.of());

        session.runEnded(result, admin);

        return session.checks();
    }

    /** Starts the reference GP system with the fault and has it file the document, as it would on downloading it. */
    private void file(Fault fault, Bundle document) {
        gp = new ReferenceGpSystem(0, fault).start();
        FHIR.newRestfulGenericClient(gp.baseUrl()).create().resource(document).execute();
    }

    private static ConformanceCheck check(List<ConformanceCheck> checks, String check) {
        return checks.stream()
                .filter(c -> c.check().equals(check))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " check in " + checks));
    }

    /** A discharge summary for Ezra (synthetic), identified as a document is. */
    private static Bundle summary() {
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(EZRA);
        patient.addName().setFamily("Synthetic-Banbury").addGiven("Ezra");
        Composition composition = new Composition();
        composition.setStatus(Composition.CompositionStatus.FINAL);
        composition.setType(
                new CodeableConcept(new Coding("http://snomed.info/sct", "373942005", "Discharge summary")));
        composition.setSubject(new Reference(patientUrl));
        composition.setDate(new Date());
        composition.addAuthor().setDisplay("Synthetic Acute Trust");
        composition.setTitle("Discharge summary");
        Bundle document = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        document.setIdentifier(
                new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID()));
        document.setTimestamp(new Date());
        document.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);
        document.addEntry().setFullUrl(patientUrl).setResource(patient);
        return document;
    }
}
