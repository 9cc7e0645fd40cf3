package org.ldrtestbed.scenarios.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;

class ReferenceGpSystemTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final String EZRA = "9990000050";

    /** A client that gives up after a second, as a sender with a short timeout does. */
    private static final FhirContext IMPATIENT = impatient();

    private static final FhirValidator VALIDATOR = validator();

    private ReferenceGpSystem system;

    private static FhirValidator validator() {
        FhirValidator validator = FHIR.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(FHIR));
        return validator;
    }

    private static FhirContext impatient() {
        FhirContext context = FhirContext.forR4();
        context.getRestfulClientFactory().setSocketTimeout(1000);
        return context;
    }

    @AfterEach
    void close() {
        if (system != null) {
            system.close();
        }
    }

    private IGenericClient start(Fault fault) {
        return start(fault, ReferenceGpSystem.DEFAULT_LATE_DELAY);
    }

    private IGenericClient start(Fault fault, Duration lateDelay) {
        system = new ReferenceGpSystem(0, fault, lateDelay).seedDefault().start();
        return FHIR.newRestfulGenericClient(system.baseUrl());
    }

    private IGenericClient impatientClient() {
        return IMPATIENT.newRestfulGenericClient(system.baseUrl());
    }

    /** A discharge summary for Ezra (synthetic): Composition first, identified so a redelivery is recognisable. */
    static Bundle dischargeSummary(String identifier) {
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NHS).setValue(EZRA);
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
        document.setIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + identifier));
        document.setTimestamp(new Date());
        document.addEntry().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(composition);
        document.addEntry().setFullUrl(patientUrl).setResource(patient);
        return document;
    }

    private static int count(IGenericClient client, Class<? extends org.hl7.fhir.r4.model.Resource> type) {
        return client.search()
                .forResource(type)
                .returnBundle(Bundle.class)
                .execute()
                .getEntry()
                .size();
    }

    private static Parameters pull(String nhsNumber) {
        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("patientNHSNumber")
                .setValue(new Identifier().setSystem(NHS).setValue(nhsNumber));
        parameters
                .addParameter()
                .setName("includeAllergies")
                .addPart()
                .setName("includeResolvedAllergies")
                .setValue(new org.hl7.fhir.r4.model.BooleanType(false));
        parameters.addParameter().setName("includeMedication");
        return parameters;
    }

    private static Bundle structuredRecord(IGenericClient client, String nhsNumber) {
        return client.operation()
                .onType(Patient.class)
                .named(StructuredRecordOperation.NAME)
                .withParameters(pull(nhsNumber))
                .returnResourceType(Bundle.class)
                .execute();
    }

    private static String nhsNumberOfPatientIn(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(r -> ((Patient) r).getIdentifierFirstRep().getValue())
                .findFirst()
                .orElseThrow();
    }

    private HttpResponse<String> postRaw(Bundle document, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.baseUrl() + "/Bundle"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(document)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> errors(String body) {
        ValidationResult result = VALIDATOR.validateWithResult(body);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .map(m -> m.getLocationString() + ": " + m.getMessage())
                .toList();
    }

    @Test
    void filesADischargeSummaryAndAnswers201WithItsLocation() {
        IGenericClient client = start(Fault.NONE);

        MethodOutcome outcome =
                client.create().resource(dischargeSummary("ds-1")).execute();

        assertThat(outcome.getResponseStatusCode()).isEqualTo(201);
        String id = outcome.getId().getIdPart();
        assertThat(outcome.getId().getValue()).isEqualTo(system.baseUrl() + "/Bundle/" + id + "/_history/1");
        Bundle stored = client.read().resource(Bundle.class).withId(id).execute();
        assertThat(stored.getIdentifier().getValue()).isEqualTo("urn:uuid:ds-1");
        assertThat(nhsNumberOfPatientIn(stored)).isEqualTo(EZRA);
        List<DocumentReference> filed =
                client
                        .search()
                        .forResource(DocumentReference.class)
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry()
                        .stream()
                        .map(e -> (DocumentReference) e.getResource())
                        .toList();
        assertThat(filed).singleElement().satisfies(reference -> {
            assertThat(reference.getSubject().getIdentifier().getValue()).isEqualTo(EZRA);
            assertThat(reference.getType().getCodingFirstRep().getCode()).isEqualTo("373942005");
            assertThat(reference.getContentFirstRep().getAttachment().getUrl())
                    .isEqualTo(outcome.getId().getValue());
        });
    }

    @Test
    void aRedeliveryOfTheSameIdentifierFilesNothingNew() {
        IGenericClient client = start(Fault.NONE);
        MethodOutcome first = client.create().resource(dischargeSummary("ds-2")).execute();

        MethodOutcome again = client.create().resource(dischargeSummary("ds-2")).execute();

        assertThat(again.getResponseStatusCode()).isEqualTo(200);
        assertThat(again.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
        assertThat(count(client, Bundle.class)).isEqualTo(1);
        assertThat(count(client, DocumentReference.class)).isEqualTo(1);
        client.create().resource(dischargeSummary("ds-3")).execute();
        assertThat(count(client, Bundle.class)).isEqualTo(2);
    }

    @Test
    void refusesABundleThatIsNotADocument() {
        IGenericClient client = start(Fault.NONE);
        Bundle notADocument = dischargeSummary("ds-4").setType(Bundle.BundleType.COLLECTION);

        assertThatThrownBy(() -> client.create().resource(notADocument).execute())
                .isInstanceOfSatisfying(
                        BaseServerResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(422));
        assertThat(count(client, Bundle.class)).isZero();
    }

    @Test
    void answersTheStructuredRecordOfDotWithHerAllergyAndMedicines() {
        IGenericClient client = start(Fault.NONE);

        Bundle record = structuredRecord(client, "9990000077");

        assertThat(record.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(nhsNumberOfPatientIn(record)).isEqualTo("9990000077");
        assertThat(record.getEntry().stream().map(Bundle.BundleEntryComponent::getResource))
                .filteredOn(AllergyIntolerance.class::isInstance)
                .singleElement()
                .satisfies(a -> assertThat(((AllergyIntolerance) a)
                                .getCode()
                                .getCodingFirstRep()
                                .getCode())
                        .isEqualTo("372687004"));
        assertThat(record.getEntry().stream().map(Bundle.BundleEntryComponent::getResource))
                .filteredOn(MedicationStatement.class::isInstance)
                .extracting(m -> ((MedicationStatement) m)
                        .getMedicationCodeableConcept()
                        .getCodingFirstRep()
                        .getCode())
                .containsExactlyInAnyOrder("39113611000001102", "9479011000001103");
        assertThat(errors(FHIR.newJsonParser().encodeResourceToString(record))).isEmpty();
    }

    @Test
    void answersOnlyWhatThePullAsksFor() {
        IGenericClient client = start(Fault.NONE);
        Parameters medicationOnly = pull("9990000077");
        medicationOnly.getParameter().removeIf(p -> p.getName().equals("includeAllergies"));

        Bundle record = client.operation()
                .onType(Patient.class)
                .named(StructuredRecordOperation.NAME)
                .withParameters(medicationOnly)
                .returnResourceType(Bundle.class)
                .execute();

        assertThat(record.getEntry().stream().map(e -> e.getResource().fhirType()))
                .containsExactlyInAnyOrder("Patient", "MedicationStatement", "MedicationStatement");
    }

    @Test
    void anUnknownNhsNumberIs404() {
        IGenericClient client = start(Fault.NONE);

        assertThatThrownBy(() -> structuredRecord(client, EZRA)).isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void wrongPatientFilesTheDocumentUnderAnotherNhsNumber() {
        IGenericClient client = start(Fault.WRONG_PATIENT);

        MethodOutcome outcome =
                client.create().resource(dischargeSummary("ds-5")).execute();

        assertThat(outcome.getResponseStatusCode()).isEqualTo(201);
        Bundle stored = client.read()
                .resource(Bundle.class)
                .withId(outcome.getId().getIdPart())
                .execute();
        assertThat(nhsNumberOfPatientIn(stored)).isNotEqualTo(EZRA).isEqualTo(Fault.WRONG_NHS_NUMBER);
        assertThat(NhsNumber.isValid(Fault.WRONG_NHS_NUMBER)).isTrue();
        assertThat(nhsNumberOfPatientIn(structuredRecord(client, "9990000077"))).isEqualTo(Fault.WRONG_NHS_NUMBER);
    }

    @Test
    void invalidAnswers201WithABodyTheValidatorRefuses() throws Exception {
        start(Fault.NONE);
        HttpResponse<String> correct = postRaw(dischargeSummary("ds-6"));
        assertThat(correct.statusCode()).isEqualTo(201);
        assertThat(errors(correct.body())).as("a correct system's answer").isEmpty();
        system.close();

        start(Fault.INVALID);
        HttpResponse<String> invalid = postRaw(dischargeSummary("ds-6"), "Prefer", "return=minimal");

        assertThat(invalid.statusCode()).isEqualTo(201);
        assertThat(errors(invalid.body())).isNotEmpty();
    }

    @Test
    void silenceNeverAnswersAndFilesNothing() {
        IGenericClient client = start(Fault.SILENCE);

        assertThatThrownBy(() -> impatientClient()
                        .create()
                        .resource(dischargeSummary("ds-7"))
                        .execute())
                .isInstanceOf(FhirClientConnectionException.class)
                .hasMessageContaining("timed out");
        assertThat(count(client, Bundle.class)).isZero();
        assertThat(count(client, DocumentReference.class)).isZero();
    }

    @Test
    void fiveHundredsAnswers503WithAnOperationOutcomeAndFilesNothing() {
        IGenericClient client = start(Fault.SERVER_ERROR);

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() ->
                            client.create().resource(dischargeSummary("ds-8")).execute())
                    .isInstanceOfSatisfying(BaseServerResponseException.class, e -> {
                        assertThat(e.getStatusCode()).isEqualTo(503);
                        assertThat(e.getOperationOutcome()).isInstanceOf(OperationOutcome.class);
                    });
        }
        assertThatThrownBy(() -> structuredRecord(client, "9990000077"))
                .isInstanceOfSatisfying(
                        BaseServerResponseException.class,
                        e -> assertThat(e.getStatusCode()).isEqualTo(503));
        assertThat(count(client, Bundle.class)).isZero();
    }

    @Test
    void lateAnswersAfterTheDelayAndARedeliveryFilesNothingTwice() {
        Duration delay = Duration.ofMillis(1500);
        IGenericClient client = start(Fault.LATE, delay);

        assertThatThrownBy(() -> impatientClient()
                        .create()
                        .resource(dischargeSummary("ds-9"))
                        .execute())
                .isInstanceOf(FhirClientConnectionException.class);
        MethodOutcome redelivery =
                client.create().resource(dischargeSummary("ds-9")).execute();
        assertThat(redelivery.getResponseStatusCode()).isEqualTo(200);
        assertThat(count(client, Bundle.class)).isEqualTo(1);

        long start = System.nanoTime();
        MethodOutcome patient =
                client.create().resource(dischargeSummary("ds-10")).execute();
        assertThat(patient.getResponseStatusCode()).isEqualTo(201);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
        assertThat(count(client, Bundle.class)).isEqualTo(2);
    }

    @Test
    void recordsWhatAPromptAsksForOnceForAPatientItRegistersAndAnswersThePullWithIt() throws Exception {
        start(Fault.NONE);
        String nhs = "9990000123";
        Bundle asked = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NHS).setValue(nhs);
        asked.addEntry().setFullUrl("urn:uuid:p").setResource(patient);
        org.hl7.fhir.r4.model.MedicationRequest plan = new org.hl7.fhir.r4.model.MedicationRequest()
                .setStatus(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus.ACTIVE)
                .setIntent(org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent.PLAN)
                .setMedication(new CodeableConcept(new Coding("http://snomed.info/sct", "39113611000001102", null)))
                .setSubject(new Reference("urn:uuid:p"));
        asked.addEntry().setFullUrl("urn:uuid:plan").setResource(plan);
        org.ldrtestbed.fhirserver.contract.Prompt prompt = new org.ldrtestbed.fhirserver.contract.Prompt(
                "run-1",
                "step",
                "reference-gp",
                "SYNG09",
                "gp-summary",
                "record",
                null,
                FHIR.newJsonParser().encodeResourceToString(asked),
                null,
                null);

        assertThat(system.record(prompt)).isEqualTo(1);
        assertThat(system.record(prompt)).as("the same entry again").isZero();

        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("patientNHSNumber")
                .setValue(new Identifier().setSystem(NHS).setValue(nhs));
        parameters.addParameter().setName("includeMedication");
        Bundle record = FHIR.newRestfulGenericClient(system.baseUrl())
                .operation()
                .onType(Patient.class)
                .named(StructuredRecordOperation.NAME)
                .withParameters(parameters)
                .returnResourceType(Bundle.class)
                .execute();
        assertThat(record.getEntry())
                .extracting(e -> e.getResource().fhirType())
                .containsExactly("Patient", "MedicationRequest");
        org.hl7.fhir.r4.model.MedicationRequest held = (org.hl7.fhir.r4.model.MedicationRequest)
                record.getEntry().get(1).getResource();
        assertThat(held.getSubject().getReference())
                .isEqualTo("Patient/"
                        + record.getEntry().get(0).getResource().getIdElement().getIdPart());
    }

    @Test
    void followsTheTestbedsPromptsForItsNameAndRecordsEachOnce() throws Exception {
        start(Fault.NONE);
        Bundle asked = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NHS).setValue("9990000182");
        asked.addEntry().setFullUrl("urn:uuid:p").setResource(patient);
        AllergyIntolerance allergy = new AllergyIntolerance()
                .setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "372687004", "Amoxicillin")))
                .setPatient(new Reference("urn:uuid:p"));
        asked.addEntry().setFullUrl("urn:uuid:a").setResource(allergy);
        org.ldrtestbed.fhirserver.contract.Prompt prompt = new org.ldrtestbed.fhirserver.contract.Prompt(
                "run-9",
                "gp-step",
                "our-gp",
                "SYNG09",
                "gp-summary",
                "record",
                null,
                FHIR.newJsonParser().encodeResourceToString(asked),
                null,
                null);
        String body = new com.fasterxml.jackson.databind.ObjectMapper()
                .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .writeValueAsString(List.of(prompt));
        java.util.concurrent.atomic.AtomicReference<String> askedFor =
                new java.util.concurrent.atomic.AtomicReference<>();
        com.sun.net.httpserver.HttpServer testbed =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        testbed.createContext("/testbed/prompts", exchange -> {
            askedFor.set(exchange.getRequestURI().getQuery() + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        testbed.start();
        java.util.concurrent.BlockingQueue<String> log = new java.util.concurrent.LinkedBlockingQueue<>();
        try {
            system.followingPrompts(
                    URI.create("http://127.0.0.1:" + testbed.getAddress().getPort()),
                    () -> "t0ken",
                    "our-gp",
                    log::add);

            assertThat(log.poll(10, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo("Recorded 1 entries for run-9/gp-step");
            assertThat(askedFor.get()).isEqualTo("system=our-gp Bearer t0ken");
            // Listed again at every poll, the prompt is acted on once.
            assertThat(log.poll(1500, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isNull();
        } finally {
            testbed.stop(0);
        }
    }
}
