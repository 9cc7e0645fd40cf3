package org.ldrtestbed.scenarios.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Immunization;
import org.hl7.fhir.r4.model.MedicationAdministration;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.scenarios.engine.TestbedConnection;

/**
 * Times viewing one large record: {@code Patient/$everything} (every page) and a 20-entry search, as three readers,
 * against a testbed with access control on and one with it off, measured alternately as {@link AccessBenchmark}
 * does. The record and its readers are data ({@code bench/record-view.yaml}): a patient of about a thousand entries
 * written by the organisations that hold them, and readers who each see all of it on both testbeds (checked before
 * anything is timed), so what differs is only the policy's work.
 */
public final class RecordViewBenchmark {

    /** The record and its readers. */
    public static final String RECORD = "bench/record-view.yaml";

    private static final String PASSWORD = "synthetic-password";
    private static final String LOINC = "http://loinc.org";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** The server's largest page: $everything of a thousand entries is a few pages of it. */
    private static final int PAGE = 200;
    /** Entries a transaction carries while the record is written. */
    private static final int TRANSACTION = 100;

    /**
     * How much to measure.
     *
     * @param resources entries of the record, its Patient included (the file's mix, scaled)
     * @param warmUp unmeasured views of each kind per reader and testbed first
     * @param iterations measured views of each kind per reader and testbed
     */
    public record Settings(int resources, int warmUp, int iterations) {
        public Settings {
            if (resources < 10 || warmUp < 0 || iterations < 1) {
                throw new IllegalArgumentException(
                        "resources must be at least 10, iterations at least 1, warm-up at least 0");
            }
        }
    }

    /** The data file. */
    record Record(PatientSpec patient, Map<String, Map<String, Integer>> writers, List<ReaderSpec> readers) {}

    record PatientSpec(String writer, String generalPractitioner, String standsInFor) {}

    record ReaderSpec(String username, String role) {}

    /** One reader's two views on one testbed. */
    private record View(String role, Supplier<Integer> everything, Supplier<Integer> search) {}

    /** One testbed, its record written, with the views to measure. */
    public static final class Target {
        private final List<View> views;

        private Target(List<View> views) {
            this.views = views;
        }
    }

    /** One reader's figures, access control on and off. */
    public record Comparison(
            String role, Latencies everythingOn, Latencies everythingOff, Latencies searchOn, Latencies searchOff) {}

    private final Settings settings;
    private final Record record;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    public RecordViewBenchmark(Settings settings) {
        this.settings = settings;
        this.record = load();
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    /**
     * Writes the record on one testbed and checks that every reader sees all of it, in $everything and in the search.
     */
    public Target prepare(String label, TestbedConnection connection, RealmDefinition realm, PrintStream out) {
        TokenClient tokens = new TokenClient(connection.issuer());
        String patientId = patient(asUser(connection, tokens, record.patient().writer()));
        int written = 1;
        double scale = settings.resources() / 1000.0;
        int observations = 0;
        for (var writer : record.writers().entrySet()) {
            IGenericClient client = asUser(connection, tokens, writer.getKey());
            String organisation = organisation(realm, writer.getKey());
            List<Resource> entries = new ArrayList<>();
            for (var mix : writer.getValue().entrySet()) {
                int count = (int) Math.round(mix.getValue() * scale);
                for (int i = 0; i < count; i++) {
                    entries.add(entry(mix.getKey(), patientId, organisation, i));
                }
                if (mix.getKey().equals("Observation")) {
                    observations += count;
                }
            }
            written += write(client, entries);
            out.printf("%s: %s (%s) wrote %d entries%n", label, writer.getKey(), organisation, entries.size());
        }
        out.printf("%s: patient %s, %d resources (%d Observations)%n", label, patientId, written, observations);
        List<View> views = new ArrayList<>();
        for (ReaderSpec reader : record.readers()) {
            Supplier<String> token = () -> tokens.forUser(
                    connection.clientId(), realm.user(reader.username()).orElseThrow(), PASSWORD);
            String base = connection.fhirBase().toString().replaceAll("/+$", "");
            String everything = base + "/Patient/" + patientId + "/$everything?_count=" + PAGE;
            String search = base + "/Observation?patient=" + URLEncoder.encode(patientId, StandardCharsets.UTF_8)
                    + "&_count=20";
            View view = new View(
                    reader.role() + " (" + reader.username() + ")",
                    () -> pages(everything, token),
                    () -> pages(search, token, 1));
            // Every reader must see the whole record on both testbeds, or the two would not do the same work.
            int seen = view.everything().get();
            int found = view.search().get();
            // $everything shows the organisations the record names too.
            if (seen < written || found != Math.min(20, observations)) {
                throw new IllegalStateException(label + ": " + view.role() + " saw " + seen + " of " + written
                        + " entries in $everything and " + found + " Observations in the search; the benchmark's"
                        + " readers must see the whole record");
            }
            views.add(view);
        }
        return new Target(views);
    }

    /** Warms both testbeds up, then times each reader's views on both, alternating request by request. */
    public List<Comparison> measure(Target on, Target off, PrintStream out) {
        out.printf("Warming up: %d of each view per reader on each testbed%n", settings.warmUp());
        for (int i = 0; i < settings.warmUp(); i++) {
            for (int k = 0; k < on.views.size(); k++) {
                for (Target target : List.of(on, off)) {
                    target.views.get(k).everything().get();
                    target.views.get(k).search().get();
                }
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        for (int k = 0; k < on.views.size(); k++) {
            View a = on.views.get(k);
            View b = off.views.get(k);
            out.printf("%s: %d of each view on each testbed%n", a.role(), settings.iterations());
            List<Double> everythingOn = new ArrayList<>();
            List<Double> everythingOff = new ArrayList<>();
            List<Double> searchOn = new ArrayList<>();
            List<Double> searchOff = new ArrayList<>();
            for (int i = 0; i < settings.iterations(); i++) {
                boolean onFirst = i % 2 == 0;
                for (View view : onFirst ? List.of(a, b) : List.of(b, a)) {
                    boolean isOn = view == a;
                    (isOn ? everythingOn : everythingOff).add(timed(view.everything()));
                    (isOn ? searchOn : searchOff).add(timed(view.search()));
                }
            }
            comparisons.add(new Comparison(
                    a.role(),
                    Latencies.of(everythingOn),
                    Latencies.of(everythingOff),
                    Latencies.of(searchOn),
                    Latencies.of(searchOff)));
        }
        return comparisons;
    }

    /**
     * The table, then the last line: the worst reader's p99 with access control on, for $everything and the search,
     * and that reader's $everything p99 on/off.
     */
    public static void print(List<Comparison> comparisons, Settings settings, String where, PrintStream out) {
        out.printf(
                "%nRecord-view benchmark, %s: a record of %d resources, %d views of each kind per reader"
                        + " (nearest-rank percentiles, ms)%n",
                where, settings.resources(), settings.iterations());
        out.printf(
                "%-40s %-7s %14s %14s %12s %12s%n", "reader", "access", "$everything p50", "p99", "search p50", "p99");
        Comparison worstEverything = comparisons.getFirst();
        double worstSearch = 0;
        for (Comparison c : comparisons) {
            row(out, c.role(), "ON", c.everythingOn(), c.searchOn());
            row(out, "", "OFF", c.everythingOff(), c.searchOff());
            out.printf(
                    Locale.ROOT,
                    "%-40s %-7s %14.2f %14.2f %12.2f %12.2f%n",
                    "",
                    "ON/OFF",
                    c.everythingOn().p50() / c.everythingOff().p50(),
                    c.everythingOn().p99() / c.everythingOff().p99(),
                    c.searchOn().p50() / c.searchOff().p50(),
                    c.searchOn().p99() / c.searchOff().p99());
            if (c.everythingOn().p99() > worstEverything.everythingOn().p99()) {
                worstEverything = c;
            }
            worstSearch = Math.max(worstSearch, c.searchOn().p99());
        }
        out.printf(
                Locale.ROOT,
                "bench record-view: everything_p99_ms=%.1f search_p99_ms=%.1f ratio=%.2f%n",
                worstEverything.everythingOn().p99(),
                worstSearch,
                worstEverything.everythingOn().p99()
                        / worstEverything.everythingOff().p99());
    }

    private static void row(PrintStream out, String role, String access, Latencies everything, Latencies search) {
        out.printf(
                Locale.ROOT,
                "%-40s %-7s %14.1f %14.1f %12.1f %12.1f%n",
                role,
                access,
                everything.p50(),
                everything.p99(),
                search.p50(),
                search.p99());
    }

    private static double timed(Supplier<Integer> view) {
        long t0 = System.nanoTime();
        view.get();
        return (System.nanoTime() - t0) / 1e6;
    }

    private int pages(String url, Supplier<String> token) {
        return pages(url, token, Integer.MAX_VALUE);
    }

    /** Follows next links (at most {@code most} pages); returns the entries shown, outcomes left out. */
    private int pages(String url, Supplier<String> token, int most) {
        int entries = 0;
        String next = url;
        for (int page = 0; next != null && page < most; page++) {
            JsonNode bundle = get(next, token.get());
            next = null;
            for (JsonNode link : bundle.path("link")) {
                if (link.path("relation").asText().equals("next")) {
                    next = link.path("url").asText();
                }
            }
            for (JsonNode entry : bundle.path("entry")) {
                if (!entry.path("resource").path("resourceType").asText().equals("OperationOutcome")) {
                    entries++;
                }
            }
        }
        return entries;
    }

    private JsonNode get(String url, String token) {
        try {
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "application/fhir+json")
                            .header("Cache-Control", "no-cache")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                JsonNode bundle = json.readTree(body);
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + url + ": HTTP " + response.statusCode() + " " + bundle);
                }
                return bundle;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The patient, registered with the file's practice and reached by its realm patient's token. */
    private String patient(IGenericClient writer) {
        Patient patient = new Patient();
        patient.addIdentifier()
                .setSystem(NhsNumber.SYSTEM)
                .setValue(NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits()));
        patient.addIdentifier()
                .setSystem("https://fhir.ldr-testbed.example/Id/stands-in-for-nhs-number")
                .setValue(record.patient().standsInFor());
        patient.addName().setFamily("Record-View-Bench-Synthetic").addGiven("Pat");
        patient.addGeneralPractitioner()
                .setReference("Organization/" + record.patient().generalPractitioner());
        return writer.create().resource(patient).execute().getId().getIdPart();
    }

    /** Writes the entries in transactions of {@value #TRANSACTION}; returns how many were stored. */
    private static int write(IGenericClient writer, List<Resource> entries) {
        int count = 0;
        for (int from = 0; from < entries.size(); from += TRANSACTION) {
            Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
            for (Resource entry : entries.subList(from, Math.min(from + TRANSACTION, entries.size()))) {
                transaction
                        .addEntry()
                        .setResource(entry)
                        .getRequest()
                        .setMethod(Bundle.HTTPVerb.POST)
                        .setUrl(entry.fhirType());
            }
            count += writer.transaction()
                    .withBundle(transaction)
                    .execute()
                    .getEntry()
                    .size();
        }
        return count;
    }

    /** One synthetic entry of the type, in the patient's record, by the organisation. */
    private static Resource entry(String type, String patientId, String organisation, int i) {
        Reference subject = new Reference("Patient/" + patientId);
        DateTimeType when = new DateTimeType(java.util.Date.from(
                java.time.Instant.parse("2026-01-01T09:00:00Z").plusSeconds(3600L * i)));
        return switch (type) {
            case "Encounter" ->
                new Encounter()
                        .setStatus(Encounter.EncounterStatus.FINISHED)
                        // Ambulatory, not EMER: an emergency attendance starts the CP-IS flow, which would grow the
                        // record.
                        .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"))
                        .setSubject(subject)
                        .setServiceProvider(new Reference("Organization/" + organisation));
            case "Observation" ->
                new Observation()
                        .setStatus(Observation.ObservationStatus.FINAL)
                        .setCode(concept(LOINC, "8867-4", "Heart rate"))
                        .setSubject(subject)
                        .setEffective(when)
                        .setValue(new Quantity()
                                .setValue(60 + i % 40)
                                .setUnit("/min")
                                .setSystem("http://unitsofmeasure.org")
                                .setCode("/min"));
            case "Condition" ->
                new Condition()
                        .setClinicalStatus(
                                concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null))
                        .setCode(concept(SNOMED, "13645005", "Chronic obstructive lung disease"))
                        .setSubject(subject);
            case "MedicationRequest" ->
                new MedicationRequest()
                        .setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE)
                        .setIntent(MedicationRequest.MedicationRequestIntent.ORDER)
                        .setMedication(concept(SNOMED, "323465006", "Amoxicillin 500mg capsules"))
                        .setSubject(subject);
            case "MedicationAdministration" ->
                new MedicationAdministration()
                        .setStatus(MedicationAdministration.MedicationAdministrationStatus.COMPLETED)
                        .setMedication(concept(SNOMED, "387458008", "Aspirin"))
                        .setSubject(subject)
                        .setEffective(when);
            case "AllergyIntolerance" ->
                new AllergyIntolerance()
                        .setCode(concept(SNOMED, "91936005", "Allergy to penicillin"))
                        .setPatient(subject);
            case "Procedure" ->
                new Procedure()
                        .setStatus(Procedure.ProcedureStatus.COMPLETED)
                        .setCode(concept(SNOMED, "29303009", "Electrocardiographic procedure"))
                        .setSubject(subject);
            case "DiagnosticReport" ->
                new DiagnosticReport()
                        .setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL)
                        .setCode(concept(LOINC, "58410-2", "Complete blood count"))
                        .setSubject(subject);
            case "Immunization" ->
                new Immunization()
                        .setStatus(Immunization.ImmunizationStatus.COMPLETED)
                        .setVaccineCode(concept(SNOMED, "1119349007", "COVID-19 mRNA vaccine"))
                        .setPatient(subject)
                        .setOccurrence(when);
            default -> throw new IllegalArgumentException(RECORD + ": the benchmark does not write " + type);
        };
    }

    private static CodeableConcept concept(String system, String code, String display) {
        return new CodeableConcept(new Coding(system, code, display));
    }

    private static String organisation(RealmDefinition realm, String username) {
        return realm.user(username)
                .flatMap(u -> u.attribute("organisation"))
                .orElseThrow(() -> new IllegalArgumentException(RECORD + ": " + username + " has no organisation"));
    }

    private static IGenericClient asUser(TestbedConnection connection, TokenClient tokens, String username) {
        IGenericClient client =
                FHIR.newRestfulGenericClient(connection.fhirBase().toString());
        client.registerInterceptor(
                new AccessBenchmark.BearerToken(() -> tokens.forUser(connection.clientId(), username, PASSWORD)));
        return client;
    }

    private static Record load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream in = RecordViewBenchmark.class.getClassLoader().getResourceAsStream(RECORD)) {
            if (in == null) {
                throw new IOException(RECORD + " is not on the classpath");
            }
            return yaml.readValue(in, Record.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RECORD + ": " + e.getMessage(), e);
        }
    }
}
