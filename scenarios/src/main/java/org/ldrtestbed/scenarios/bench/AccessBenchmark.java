package org.ldrtestbed.scenarios.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.scenarios.engine.TestbedConnection;

/**
 * Measures what the access policy costs each FHIR interaction: the same reads, searches and writes against a testbed
 * with access control on and one with it off. The record is written by an acute trust's clinician, so no publishing
 * flow holds its entries and both testbeds show the readers the same entries; what differs is only the policy's work
 * (per-entry decisions, relationship and consent lookups, what writes teach it, and the audit once it is wired).
 * Both testbeds run side by side and are measured alternately, request by request, so that other work on the machine
 * (and the JVM's own warming) weighs on both alike; never both at once, so they do not compete for the cores.
 *
 * <p>Readers: the writer's own organisation, and the patient's GP practice, another organisation whose legitimate
 * relationship comes from {@code Patient.generalPractitioner}. Writes are the acute clinician's only: a GP's writes
 * would start publishing flows, whose cost is {@link FlowBenchmark}'s business.
 */
public final class AccessBenchmark {

    /** Who writes and reads (bench/bench-actors.yaml: access), and the patient's practice. */
    private static final BenchActors.Access ACTORS = BenchActors.shipped().access();

    /** An acute trust clinician: writes the record, and reads it as its own organisation. */
    public static final String WRITER = ACTORS.writer();

    /** The patient's GP, reading another organisation's entries. */
    public static final String GP_READER = ACTORS.relatedReader();

    /** A professional with no part in the patient's care: sees nothing with access control on. */
    private static final String UNRELATED_READER = ACTORS.unrelatedReader();

    private static final String GP_PRACTICE =
            "Organization/" + BenchActors.shipped().flows().organisations().practice();
    private static final String PASSWORD = "synthetic-password";
    private static final String LOINC = "http://loinc.org";
    private static final String SNOMED = "http://snomed.info/sct";
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** The server's default page size: a search returns at most this many entries. */
    private static final int PAGE = 20;

    /**
     * How much to measure.
     *
     * @param observations Observations in the searched record: one search returns them all (at most a page)
     * @param conditions Conditions beside them, read by id with the Observations
     * @param warmUp unmeasured requests of each operation first
     * @param iterations measured requests of each operation, one client thread, then as many again concurrently
     * @param threads client threads of the concurrent run
     */
    public record Settings(int observations, int conditions, int warmUp, int iterations, int threads) {
        public Settings {
            if (observations < 1 || conditions < 0 || warmUp < 0 || iterations < 1 || threads < 1) {
                throw new IllegalArgumentException("observations, iterations and threads must be at least 1,"
                        + " conditions and warm-up at least 0");
            }
        }
    }

    /**
     * One operation's figures on one testbed.
     *
     * @param oneThread latencies with one client thread
     * @param throughput requests a second with {@link Settings#threads()} client threads
     */
    public record Figures(Latencies oneThread, double throughput) {}

    /** One operation by one actor, measured with access control on and off. */
    public record Comparison(String operation, String actor, Figures on, Figures off) {
        public double p50Ratio() {
            return on.oneThread().p50() / off.oneThread().p50();
        }

        public double p99Ratio() {
            return on.oneThread().p99() / off.oneThread().p99();
        }

        public double throughputRatio() {
            return on.throughput() / off.throughput();
        }
    }

    @FunctionalInterface
    private interface Request {
        void send(int iteration);
    }

    private record Operation(String name, String actor, Request request) {}

    /** One testbed, its record written, with the operations to measure on it. */
    public static final class Target {
        private final List<Operation> operations;

        private Target(List<Operation> operations) {
            this.operations = operations;
        }
    }

    private final Settings settings;

    public AccessBenchmark(Settings settings) {
        this.settings = settings;
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    }

    /**
     * Writes the record on one testbed (a patient with the Observations and Conditions, and a second patient the
     * measured writes go to, so the searched record stays the same size), checks that both readers see all of it and
     * that an unrelated professional sees it only with access control off.
     */
    public Target prepare(
            String label, TestbedConnection connection, RealmDefinition realm, boolean accessControl, PrintStream out) {
        TokenClient tokens = new TokenClient(connection.issuer());
        IGenericClient writer = asUser(connection, tokens, WRITER);
        IGenericClient gp = asUser(connection, tokens, GP_READER);
        String searched = patient(writer);
        List<String> entries = writeEntries(writer, searched);
        String written = patient(writer);
        out.printf(
                "%s: wrote patient %s with %d Observations and %d Conditions as %s%n",
                label, searched, settings.observations(), settings.conditions(), WRITER);
        // Both readers must see the whole record on both testbeds, or the two would not be doing the same work.
        int expected = Math.min(settings.observations(), PAGE);
        for (IGenericClient reader : List.of(writer, gp)) {
            int seen = search(reader, searched);
            if (seen != expected) {
                throw new IllegalStateException(label + ": a reader's search returned " + seen + " Observations, not "
                        + expected + "; the benchmark's readers must see the whole record");
            }
        }
        // And the switch must be what was asked for: only the policy keeps an unrelated professional out.
        int unrelated = search(asUser(connection, tokens, UNRELATED_READER), searched);
        if (unrelated != (accessControl ? 0 : expected)) {
            throw new IllegalStateException(label + ": " + UNRELATED_READER + ", with no relationship, saw " + unrelated
                    + " Observations; the testbed's access control is not what the benchmark asked for");
        }
        String writerLabel = describe(realm, WRITER);
        String gpLabel = describe(realm, GP_READER);
        return new Target(List.of(
                new Operation("read", writerLabel, i -> read(writer, entries.get(i % entries.size()))),
                new Operation("read", gpLabel, i -> read(gp, entries.get(i % entries.size()))),
                new Operation("search", writerLabel, i -> search(writer, searched)),
                new Operation("search", gpLabel, i -> search(gp, searched)),
                new Operation(
                        "create",
                        writerLabel,
                        i -> writer.create().resource(observation(written, i)).execute())));
    }

    /**
     * Warms both testbeds up, then measures each operation on both, alternating between them request by request
     * (one client thread) and run by run (concurrently), so that whatever else the machine is doing weighs on both
     * alike.
     */
    public List<Comparison> measure(Target on, Target off, PrintStream out) throws Exception {
        out.printf("Warming up: %d of each operation on each testbed (load average %s)%n", settings.warmUp(), load());
        for (int i = 0; i < settings.warmUp(); i++) {
            for (int k = 0; k < on.operations.size(); k++) {
                on.operations.get(k).request().send(i);
                off.operations.get(k).request().send(i);
            }
        }
        List<Comparison> comparisons = new ArrayList<>();
        int offset = settings.warmUp();
        for (int k = 0; k < on.operations.size(); k++) {
            Operation a = on.operations.get(k);
            Operation b = off.operations.get(k);
            out.printf(
                    "%s as %s: %d on each testbed with one client thread, then %d with %d (load average %s)%n",
                    a.name(), a.actor(), settings.iterations(), settings.iterations(), settings.threads(), load());
            List<Double> onLatencies = new ArrayList<>(settings.iterations());
            List<Double> offLatencies = new ArrayList<>(settings.iterations());
            for (int i = 0; i < settings.iterations(); i++) {
                if (i % 2 == 0) {
                    onLatencies.add(timed(a, offset + i));
                    offLatencies.add(timed(b, offset + i));
                } else {
                    offLatencies.add(timed(b, offset + i));
                    onLatencies.add(timed(a, offset + i));
                }
            }
            int concurrentOffset = offset + settings.iterations();
            double onThroughput;
            double offThroughput;
            if (k % 2 == 0) {
                onThroughput = concurrently(a.request(), concurrentOffset);
                offThroughput = concurrently(b.request(), concurrentOffset);
            } else {
                offThroughput = concurrently(b.request(), concurrentOffset);
                onThroughput = concurrently(a.request(), concurrentOffset);
            }
            comparisons.add(new Comparison(
                    a.name(),
                    a.actor(),
                    new Figures(Latencies.of(onLatencies), onThroughput),
                    new Figures(Latencies.of(offLatencies), offThroughput)));
        }
        return comparisons;
    }

    private static double timed(Operation operation, int iteration) {
        long t0 = System.nanoTime();
        operation.request().send(iteration);
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Sends {@link Settings#iterations()} requests from {@link Settings#threads()} threads; requests a second. */
    private double concurrently(Request request, int offset) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(settings.threads())) {
            List<Future<?>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int i = 0; i < settings.iterations(); i++) {
                int iteration = offset + i;
                done.add(pool.submit(() -> request.send(iteration)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return settings.iterations() / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void read(IGenericClient client, String reference) {
        String[] typeAndId = reference.split("/");
        client.read().resource(typeAndId[0]).withId(typeAndId[1]).execute();
    }

    /** Returns how many Observations the first page holds (a withheld entry would leave an OperationOutcome). */
    private static int search(IGenericClient client, String patientId) {
        Bundle page = client.search()
                .forResource(Observation.class)
                .where(Observation.PATIENT.hasId(patientId))
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .returnBundle(Bundle.class)
                .execute();
        return (int) page.getEntry().stream()
                .filter(e -> e.getResource() instanceof Observation)
                .count();
    }

    /** A synthetic patient registered at the GP practice; returns its id. */
    private static String patient(IGenericClient writer) {
        Patient patient = new Patient();
        patient.addIdentifier()
                .setSystem(NhsNumber.SYSTEM)
                .setValue(NhsNumber.syntheticFrom(UUID.randomUUID().getMostSignificantBits()));
        patient.addName().setFamily("Access-Bench-Synthetic").addGiven("Pat");
        patient.addGeneralPractitioner().setReference(GP_PRACTICE);
        return writer.create().resource(patient).execute().getId().getIdPart();
    }

    /** The Observations and Conditions, in one transaction; returns their references, as Type/id. */
    private List<String> writeEntries(IGenericClient writer, String patientId) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<Resource> entries = new ArrayList<>();
        for (int i = 0; i < settings.observations(); i++) {
            entries.add(observation(patientId, i));
        }
        for (int i = 0; i < settings.conditions(); i++) {
            Condition condition = new Condition();
            condition.setSubject(new Reference("Patient/" + patientId));
            condition.setClinicalStatus(new CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
            condition.setCode(new CodeableConcept(new Coding(SNOMED, "13645005", "Chronic obstructive lung disease")));
            entries.add(condition);
        }
        for (Resource entry : entries) {
            transaction
                    .addEntry()
                    .setResource(entry)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl(entry.fhirType());
        }
        Bundle response = writer.transaction().withBundle(transaction).execute();
        return response.getEntry().stream()
                .map(e -> new IdType(e.getResponse().getLocation())
                        .toUnqualifiedVersionless()
                        .getValue())
                .toList();
    }

    private static Observation observation(String patientId, int i) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setSubject(new Reference("Patient/" + patientId));
        observation.setCode(new CodeableConcept(new Coding(LOINC, "8867-4", "Heart rate")));
        observation.setEffective(DateTimeType.now());
        observation.setValue(new Quantity()
                .setValue(60 + i % 40)
                .setUnit("/min")
                .setSystem("http://unitsofmeasure.org")
                .setCode("/min"));
        return observation;
    }

    private static IGenericClient asUser(TestbedConnection connection, TokenClient tokens, String username) {
        IGenericClient client =
                FHIR.newRestfulGenericClient(connection.fhirBase().toString());
        // Asked for on every request (the token client caches it), so a long run outlives a token's lifetime.
        client.registerInterceptor(new BearerToken(() -> tokens.forUser(connection.clientId(), username, PASSWORD)));
        return client;
    }

    /** The actor as the table shows it: username and organisation. */
    private static String describe(RealmDefinition realm, String username) {
        return realm.user(username)
                .flatMap(u -> u.attribute("organisation"))
                .map(org -> username + " (" + org + ")")
                .orElse(username);
    }

    private static String load() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "unknown" : String.format("%.2f", load);
    }

    /** Adds the current token of the actor to every request. */
    record BearerToken(Supplier<String> token) implements IClientInterceptor {
        @Override
        public void interceptRequest(IHttpRequest request) {
            request.addHeader("Authorization", "Bearer " + token.get());
        }

        @Override
        public void interceptResponse(IHttpResponse response) {}
    }

    /** Prints each operation's figures with access control on, off, and their ratio. */
    public static void print(
            List<Comparison> comparisons, Settings settings, String where, String includedWhenOn, PrintStream out) {
        out.printf(
                "%nAccess benchmark, %s (p50/p99: one client thread, %d requests; ops/s: %d client threads, %d"
                        + " requests)%n",
                where, settings.iterations(), settings.threads(), settings.iterations());
        out.printf("%-8s %-30s %-7s %9s %9s %10s%n", "", "actor", "access", "p50 ms", "p99 ms", "ops/s");
        for (Comparison c : comparisons) {
            row(out, c.operation(), c.actor(), "ON", c.on());
            row(out, "", "", "OFF", c.off());
            out.printf(
                    "%-8s %-30s %-7s %9.2f %9.2f %10.2f%n",
                    "", "", "ON/OFF", c.p50Ratio(), c.p99Ratio(), c.throughputRatio());
        }
        out.println("ON: " + includedWhenOn);
        // One machine-readable line last, as every benchmark of the testbed ends.
        StringBuilder summary = new StringBuilder("bench access:");
        for (Comparison c : comparisons) {
            String key = c.operation() + "." + c.actor().split(" ", 2)[0];
            summary.append(String.format(
                    java.util.Locale.ROOT,
                    " %s.p50-ratio=%.2f %s.p99-ratio=%.2f %s.throughput-ratio=%.2f",
                    key,
                    c.p50Ratio(),
                    key,
                    c.p99Ratio(),
                    key,
                    c.throughputRatio()));
        }
        out.println(summary);
    }

    private static void row(PrintStream out, String operation, String actor, String access, Figures f) {
        out.printf(
                "%-8s %-30s %-7s %9.1f %9.1f %10.1f%n",
                operation, actor, access, f.oneThread().p50(), f.oneThread().p99(), f.throughput());
    }
}
