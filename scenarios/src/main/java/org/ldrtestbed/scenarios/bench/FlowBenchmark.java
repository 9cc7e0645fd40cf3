package org.ldrtestbed.scenarios.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.MllpClient;
import org.ldrtestbed.scenarios.engine.TestbedConnection;

/**
 * Measures each flow: latency from the source's commit (or an HL7v2 message's receipt) to the filing at the
 * recipient — message log RECEIVED → DELIVERED, on the server's clock — one message at a time, and throughput with
 * concurrent senders. Baseline, in the same run: the same filings written straight into the record by the receiving
 * system, without queue or translation.
 */
public final class FlowBenchmark {

    /** The flows the benchmark knows how to drive. */
    public static final List<BenchedFlow> FLOWS = List.of(
            new BenchedFlow.EReferral(),
            new BenchedFlow.DischargeSummary(),
            new BenchedFlow.SocialCareNotice(),
            new BenchedFlow.EolPointer(),
            new BenchedFlow.AdtNotification(),
            new BenchedFlow.GpSummary(),
            new BenchedFlow.CpIsAccess(),
            new BenchedFlow.EpsPrescription());

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "synthetic-password";
    private static final Duration GIVE_UP = Duration.ofMinutes(5);

    private final TestbedConnection connection;
    private final RealmDefinition realm;
    private final TokenClient tokens;
    private final HttpClient http = HttpClient.newHttpClient();
    private final BenchedFlow.BenchContext context;

    public FlowBenchmark(TestbedConnection connection, RealmDefinition realm) {
        this.connection = connection;
        this.realm = realm;
        this.tokens = new TokenClient(connection.issuer());
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        this.context = new BenchedFlow.BenchContext() {
            @Override
            public FhirContext fhir() {
                return FHIR;
            }

            @Override
            public IGenericClient asUser(String username) {
                return client(tokens.forUser(
                        connection.clientId(), realm.user(username).orElseThrow(), PASSWORD));
            }

            @Override
            public IGenericClient asClient(String clientId) {
                String secret = realm.client(clientId).orElseThrow().secret();
                return client(tokens.forClient(clientId, secret));
            }

            @Override
            public MllpClient mllp() {
                return new MllpClient(connection.mllp());
            }
        };
    }

    /** How flows' source systems are driven: tokens for the realm's users and clients, and MLLP. */
    public BenchedFlow.BenchContext context() {
        return context;
    }

    /** Latency percentiles in milliseconds and throughput in messages a second. */
    public record Figures(int messages, double p50, double p99, double max, double throughput) {}

    public record Result(String flow, Figures viaFlow, Figures direct, int senders) {}

    public Result run(BenchedFlow flow, int messages, int senders, int warmUp, PrintStream out) throws Exception {
        List<String> patients = registerPatients(warmUp + 2 * messages);
        out.printf("%s: warming up with %d messages...%n", flow.code(), warmUp);
        for (int i = 0; i < warmUp; i++) {
            sendAndAwait(flow, patients.get(i));
            flow.writeDirectly(context, patients.get(i));
        }
        out.printf(
                "%s: %d messages one at a time, then %d with %d senders...%n",
                flow.code(), messages, messages, senders);
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            latencies.add(sendAndAwait(flow, patients.get(warmUp + i)));
        }
        List<String> parallel = patients.subList(warmUp + messages, warmUp + 2 * messages);
        double throughput = throughput(flow, parallel, senders);

        out.printf("%s: baseline, the same filings written directly...%n", flow.code());
        List<Double> direct = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            long t0 = System.nanoTime();
            flow.writeDirectly(context, patients.get(warmUp + i));
            direct.add((System.nanoTime() - t0) / 1e6);
        }
        long t0 = System.nanoTime();
        inParallel(parallel, senders, nhs -> flow.writeDirectly(context, nhs));
        double directThroughput = messages / ((System.nanoTime() - t0) / 1e9);
        return new Result(flow.code(), figures(latencies, throughput), figures(direct, directThroughput), senders);
    }

    /** Sends one message and waits for the message log to show it delivered; returns RECEIVED → DELIVERED in ms. */
    private double sendAndAwait(BenchedFlow flow, String nhs) throws Exception {
        flow.send(context, nhs);
        Instant giveUp = Instant.now().plus(GIVE_UP);
        while (Instant.now().isBefore(giveUp)) {
            Instant received = null;
            Instant delivered = null;
            for (JsonNode e : messages("flow=" + flow.code() + "&nhs-number=" + nhs)) {
                Instant at = Instant.parse(e.get("at").asText());
                switch (e.get("stage").asText()) {
                    case "RECEIVED" -> received = at;
                    case "DELIVERED" -> delivered = at;
                    case "DEAD_LETTERED" -> throw new IllegalStateException("benchmark message dead-lettered: " + e);
                    default -> {}
                }
            }
            if (received != null && delivered != null) {
                return Duration.between(received, delivered).toNanos() / 1e6;
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no delivery of " + flow.code() + " for " + nhs + " within " + GIVE_UP);
    }

    private double throughput(BenchedFlow flow, List<String> nhsNumbers, int senders) throws Exception {
        inParallel(nhsNumbers, senders, nhs -> flow.send(context, nhs));
        Set<String> wanted = new HashSet<>(nhsNumbers);
        Instant giveUp = Instant.now().plus(GIVE_UP);
        while (Instant.now().isBefore(giveUp)) {
            List<Instant> received = new ArrayList<>();
            List<Instant> delivered = new ArrayList<>();
            for (JsonNode e : messages("flow=" + flow.code() + "&limit=5000")) {
                if (!wanted.contains(e.path("nhsNumber").asText())) {
                    continue;
                }
                Instant at = Instant.parse(e.get("at").asText());
                switch (e.get("stage").asText()) {
                    case "RECEIVED" -> received.add(at);
                    case "DELIVERED" -> delivered.add(at);
                    default -> {}
                }
            }
            if (delivered.size() >= nhsNumbers.size()) {
                Duration span = Duration.between(Collections.min(received), Collections.max(delivered));
                return nhsNumbers.size() / Math.max(span.toNanos() / 1e9, 0.001);
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("not all " + flow.code() + " messages delivered within " + GIVE_UP);
    }

    @FunctionalInterface
    private interface Work {
        void run(String nhsNumber) throws Exception;
    }

    private static void inParallel(List<String> nhsNumbers, int senders, Work work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
            List<Future<?>> done = new ArrayList<>();
            for (String nhs : nhsNumbers) {
                done.add(pool.submit(() -> {
                    work.run(nhs);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    /** Registers {@code count} synthetic patients at the GP practice in one transaction; returns their NHS numbers. */
    public List<String> registerPatients(int count) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<String> numbers = new ArrayList<>();
        long seed = UUID.randomUUID().getMostSignificantBits();
        for (int i = 0; numbers.size() < count; i++) {
            String nhs = NhsNumber.syntheticFrom(seed + i * 7L);
            if (numbers.contains(nhs)) {
                continue;
            }
            numbers.add(nhs);
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
            patient.addName().setFamily("Bench-Synthetic");
            patient.addGeneralPractitioner().setReference("Organization/" + BenchedFlow.ORGANISATIONS.practice());
            transaction
                    .addEntry()
                    .setResource(patient)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient");
        }
        context.asUser(BenchedFlow.ACTORS.flows().registrar())
                .transaction()
                .withBundle(transaction)
                .execute();
        return numbers;
    }

    private JsonNode messages(String query) throws IOException, InterruptedException {
        String root = connection.fhirBase().toString().replaceAll("/fhir$", "");
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(root + "/testbed/messages?" + query))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.forUser(connection.clientId(), BenchedFlow.ACTORS.admin(), PASSWORD))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "message log answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private IGenericClient client(String token) {
        IGenericClient client =
                FHIR.newRestfulGenericClient(connection.fhirBase().toString());
        client.registerInterceptor(new BearerTokenAuthInterceptor(token));
        return client;
    }

    private static Figures figures(List<Double> latencies, double throughput) {
        Latencies l = Latencies.of(latencies);
        return new Figures(l.count(), l.p50(), l.p99(), l.max(), throughput);
    }

    /** Prints every flow's figures with the flow-to-baseline ratios. */
    public static void print(List<Result> results, String where, PrintStream out) {
        out.printf("%nFlow benchmark, %s (latency: source commit or HL7 receipt -> filed at the recipient)%n", where);
        out.printf("%-22s %-9s %9s %9s %9s %14s%n", "flow", "", "p50 ms", "p99 ms", "max ms", "throughput/s");
        for (Result r : results) {
            row(out, r.flow(), "flow", r.viaFlow());
            row(out, "", "direct", r.direct());
            out.printf(
                    "%-22s %-9s %9.2f %9.2f %9s %14.2f%n",
                    "",
                    "ratio",
                    r.viaFlow().p50() / r.direct().p50(),
                    r.viaFlow().p99() / r.direct().p99(),
                    "",
                    r.viaFlow().throughput() / r.direct().throughput());
        }
        if (!results.isEmpty()) {
            out.printf(
                    "%d messages one at a time and %d with %d concurrent senders per flow.%n",
                    results.getFirst().viaFlow().messages(),
                    results.getFirst().viaFlow().messages(),
                    results.getFirst().senders());
        }
    }

    private static void row(PrintStream out, String flow, String label, Figures f) {
        out.printf("%-22s %-9s %9.1f %9.1f %9.1f %14.1f%n", flow, label, f.p50(), f.p99(), f.max(), f.throughput());
    }
}
