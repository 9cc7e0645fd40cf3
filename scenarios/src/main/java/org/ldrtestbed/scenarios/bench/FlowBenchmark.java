package org.ldrtestbed.scenarios.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.AdditionalRequestHeadersInterceptor;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.ldrtestbed.identity.NhsNumber;
import org.ldrtestbed.identity.token.TokenClient;
import org.ldrtestbed.routes.discharge.DischargeSummaryTranslator;
import org.ldrtestbed.scenarios.engine.ActorSession;
import org.ldrtestbed.scenarios.engine.TestbedConnection;
import org.springframework.core.io.ClassPathResource;

/**
 * Measures the discharge-summary flow: latency from the acute trust's commit to the summary filed in the GP record
 * (message log RECEIVED → DELIVERED, server clock), one message at a time, and throughput with concurrent senders.
 * Baseline, in the same run: the same GP filing transactions written straight into the record, without queue or
 * translation.
 */
public final class FlowBenchmark {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "synthetic-password";

    private final TestbedConnection connection;
    private final TokenClient tokens;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String template;
    private final String runId = "bench-" + UUID.randomUUID().toString().substring(0, 8);

    public FlowBenchmark(TestbedConnection connection) {
        this.connection = connection;
        this.tokens = new TokenClient(connection.issuer());
        try {
            this.template =
                    new ClassPathResource("bench/discharge-summary.json").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FHIR.getRestfulClientFactory()
                .setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
    }

    /** Latency percentiles in milliseconds and throughput in messages a second. */
    public record Figures(int messages, double p50, double p99, double max, double throughput) {}

    public record Result(Figures flow, Figures direct, int senders) {}

    public Result run(int messages, int senders, int warmUp, PrintStream out) throws Exception {
        List<String> patients = registerPatients(warmUp + 2 * messages);
        out.printf("Registered %d synthetic patients; warming up with %d messages...%n", patients.size(), warmUp);
        List<Double> ignored = new ArrayList<>();
        for (int i = 0; i < warmUp; i++) {
            ignored.add(sendAndAwait(patients.get(i), runId + "-warm-" + i));
            direct(patients.get(i));
        }

        out.printf("Flow, one at a time (%d messages)...%n", messages);
        List<Double> flowLatencies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            flowLatencies.add(sendAndAwait(patients.get(warmUp + i), runId + "-seq-" + i));
        }
        out.printf("Flow, %d senders (%d messages)...%n", senders, messages);
        double flowThroughput = flowThroughput(patients.subList(warmUp + messages, warmUp + 2 * messages), senders);

        out.printf("Baseline: the same filings written straight into the record...%n");
        List<Double> directLatencies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            long t0 = System.nanoTime();
            direct(patients.get(warmUp + i));
            directLatencies.add((System.nanoTime() - t0) / 1e6);
        }
        double directThroughput = directThroughput(patients.subList(warmUp + messages, warmUp + 2 * messages), senders);
        return new Result(figures(flowLatencies, flowThroughput), figures(directLatencies, directThroughput), senders);
    }

    /** Sends one summary and waits for the message log to show it delivered; returns RECEIVED → DELIVERED in ms. */
    private double sendAndAwait(String nhs, String journey) throws Exception {
        send(nhs, journey);
        while (true) {
            JsonNode entries = messages(journey);
            Instant received = null;
            Instant delivered = null;
            for (JsonNode e : entries) {
                Instant at = Instant.parse(e.get("at").asText());
                switch (e.get("stage").asText()) {
                    case "RECEIVED" -> received = at;
                    case "DELIVERED" -> delivered = at;
                    case "DEAD_LETTERED" -> throw new IllegalStateException("benchmark message dead-lettered: " + e);
                    default -> {}
                }
            }
            if (received != null && delivered != null) {
                return (delivered.toEpochMilli() - received.toEpochMilli())
                        + (delivered.getNano() % 1_000_000 - received.getNano() % 1_000_000) / 1e6;
            }
            Thread.sleep(2);
        }
    }

    private double flowThroughput(List<String> nhsNumbers, int senders) throws Exception {
        String journey = runId + "-par";
        try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
            List<Future<?>> sent = new ArrayList<>();
            for (String nhs : nhsNumbers) {
                sent.add(pool.submit(() -> {
                    send(nhs, journey);
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
        while (true) {
            JsonNode entries = messages(journey + "&limit=5000");
            List<Instant> received = new ArrayList<>();
            List<Instant> delivered = new ArrayList<>();
            for (JsonNode e : entries) {
                Instant at = Instant.parse(e.get("at").asText());
                if (e.get("stage").asText().equals("RECEIVED")) {
                    received.add(at);
                } else if (e.get("stage").asText().equals("DELIVERED")) {
                    delivered.add(at);
                }
            }
            if (delivered.size() >= nhsNumbers.size()) {
                double seconds = (Collections.max(delivered).toEpochMilli()
                                - Collections.min(received).toEpochMilli())
                        / 1000.0;
                return nhsNumbers.size() / Math.max(seconds, 0.001);
            }
            Thread.sleep(50);
        }
    }

    private double directThroughput(List<String> nhsNumbers, int senders) throws Exception {
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(senders)) {
            List<Future<?>> done = new ArrayList<>();
            for (String nhs : nhsNumbers) {
                done.add(pool.submit(() -> {
                    direct(nhs);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        return nhsNumbers.size() / ((System.nanoTime() - t0) / 1e9);
    }

    private void send(String nhs, String journey) {
        client("dischargenurse.quinn", journey).create().resource(document(nhs)).execute();
    }

    /** The baseline: what the flow's route would deliver, posted by the mailbox system itself. */
    private void direct(String nhs) {
        Bundle document = document(nhs);
        Bundle filing = new DischargeSummaryTranslator()
                .toGpFiling(document, FHIR.newJsonParser().encodeResourceToString(document));
        IGenericClient client =
                FHIR.newRestfulGenericClient(connection.fhirBase().toString());
        client.registerInterceptor(
                new BearerTokenAuthInterceptor(tokens.forClient("mesh-mailbox", "mesh-mailbox-synthetic-secret")));
        client.transaction().withBundle(filing).execute();
    }

    private Bundle document(String nhs) {
        return FHIR.newJsonParser()
                .parseResource(
                        Bundle.class,
                        template.replace("${NHS}", nhs)
                                .replace("${DOC_ID}", UUID.randomUUID().toString()));
    }

    private List<String> registerPatients(int count) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<String> numbers = new ArrayList<>();
        long seed = UUID.randomUUID().getMostSignificantBits();
        for (int i = 0; i < count; i++) {
            String nhs = NhsNumber.syntheticFrom(seed + i * 7L);
            numbers.add(nhs);
            Patient patient = new Patient();
            patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhs);
            patient.addName().setFamily("Bench-Synthetic");
            patient.addGeneralPractitioner().setReference("Organization/SYNG09");
            transaction
                    .addEntry()
                    .setResource(patient)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Patient");
        }
        client("gp.ashdown", null).transaction().withBundle(transaction).execute();
        return numbers;
    }

    private JsonNode messages(String journeyQuery) throws IOException, InterruptedException {
        String root = connection.fhirBase().toString().replaceAll("/fhir$", "");
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(root + "/testbed/messages?journey=" + journeyQuery))
                        .header(
                                "Authorization",
                                "Bearer " + tokens.forUser(connection.clientId(), "digitallead.okonjo", PASSWORD))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "message log answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private IGenericClient client(String username, String journey) {
        IGenericClient client =
                FHIR.newRestfulGenericClient(connection.fhirBase().toString());
        client.registerInterceptor(
                new BearerTokenAuthInterceptor(tokens.forUser(connection.clientId(), username, PASSWORD)));
        if (journey != null) {
            client.registerInterceptor(
                    new AdditionalRequestHeadersInterceptor(Map.of(ActorSession.JOURNEY_HEADER, List.of(journey))));
        }
        return client;
    }

    private static Figures figures(List<Double> latencies, double throughput) {
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return new Figures(
                sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.getLast(), throughput);
    }

    private static double percentile(List<Double> sorted, double p) {
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    /** Prints the figures with the flow-to-baseline ratios. */
    public static void print(Result r, String where, PrintStream out) {
        out.printf(
                "%nFlow discharge-summary (capability e), %s: %d messages one at a time, %d senders for throughput%n",
                where, r.flow().messages(), r.senders());
        out.printf("%-44s %9s %9s %9s %14s%n", "", "p50 ms", "p99 ms", "max ms", "throughput/s");
        row(out, "flow: acute commit -> filed in GP record", r.flow());
        row(out, "baseline: same filing written directly", r.direct());
        out.printf(
                "%-44s %9.2f %9.2f %9s %14.2f%n",
                "ratio flow / baseline",
                r.flow().p50() / r.direct().p50(),
                r.flow().p99() / r.direct().p99(),
                "",
                r.flow().throughput() / r.direct().throughput());
    }

    private static void row(PrintStream out, String label, Figures f) {
        out.printf("%-44s %9.1f %9.1f %9.1f %14.1f%n", label, f.p50(), f.p99(), f.max(), f.throughput());
    }
}
