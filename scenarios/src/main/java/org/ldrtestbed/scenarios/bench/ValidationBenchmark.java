package org.ldrtestbed.scenarios.bench;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.ldrtestbed.scenarios.conformance.AdtMessages;
import org.ldrtestbed.scenarios.conformance.FhirValidation;

/**
 * What validating a system under test's message costs, per message: the discharge summary (a FHIR document of the
 * testbed's shape) through HAPI's instance validator against base R4, and an ADT^A01 through the HL7v2 checks; each
 * beside the baseline of only parsing the same message, in the same run.
 */
public final class ValidationBenchmark {

    public static final String DOCUMENT = "fhir/samples/discharge-summary.json";
    public static final String ADT = "hl7v2/samples/adt-a01.hl7";

    public record Settings(int warmUp, int iterations) {
        public Settings {
            if (warmUp < 0 || iterations < 1) {
                throw new IllegalArgumentException("--warm-up must be 0 or more and --iterations 1 or more");
            }
        }
    }

    /** One message kind's figures: the first validation (the validator loading base R4), then warm. */
    public record Figures(double coldMillis, Latencies validate, Latencies parse) {
        double ratio() {
            return validate.p50() / parse.p50();
        }
    }

    public record Result(Figures fhir, Figures hl7, int issues) {}

    private final Settings settings;

    public ValidationBenchmark(Settings settings) {
        this.settings = settings;
    }

    public Result measure(PrintStream out) {
        FhirContext fhirContext = FhirContext.forR4Cached();
        String document = read(DOCUMENT);
        String adt = read(ADT).replace("\n", "\r");
        out.println("Validating " + DOCUMENT + " (" + document.length() + " chars) and " + ADT + ", "
                + settings.iterations() + " times each after " + settings.warmUp() + " warm-up runs...");
        long t0 = System.nanoTime();
        FhirValidation validation = new FhirValidation(fhirContext);
        int issues = validation.validate(document).size();
        double fhirCold = (System.nanoTime() - t0) / 1e6;
        Latencies fhirValidate = time(() -> validation.validate(document));
        Latencies fhirParse = time(() -> fhirContext.newJsonParser().parseResource(Bundle.class, document));
        AdtMessages messages = new AdtMessages();
        long t1 = System.nanoTime();
        messages.check(adt, "9990000050");
        double hl7Cold = (System.nanoTime() - t1) / 1e6;
        Latencies hl7Check = time(() -> messages.check(adt, "9990000050"));
        Latencies hl7Parse = time(() -> messages.facts(adt, "bench"));
        return new Result(
                new Figures(fhirCold, fhirValidate, fhirParse), new Figures(hl7Cold, hl7Check, hl7Parse), issues);
    }

    public static void print(Result r, PrintStream out) {
        out.printf("%-34s %10s %10s %10s%n", "per message (ms)", "p50", "p99", "max");
        row(out, "FHIR document: validate (base R4)", r.fhir().validate());
        row(out, "FHIR document: parse only", r.fhir().parse());
        row(out, "HL7v2 ADT: check (v2.4 + fields)", r.hl7().validate());
        row(out, "HL7v2 ADT: parse only", r.hl7().parse());
        out.printf(
                "First FHIR validation (loads base R4): %.0f ms; first HL7v2 check: %.1f ms; findings on the"
                        + " sample: %d (warnings)%n",
                r.fhir().coldMillis(), r.hl7().coldMillis(), r.issues());
        out.printf(
                "bench validation: fhir_p50_ms=%.2f fhir_p99_ms=%.2f fhir_parse_p50_ms=%.2f fhir_ratio=%.1f"
                        + " hl7_p50_ms=%.3f hl7_p99_ms=%.3f hl7_parse_p50_ms=%.3f hl7_ratio=%.1f fhir_cold_ms=%.0f%n",
                r.fhir().validate().p50(),
                r.fhir().validate().p99(),
                r.fhir().parse().p50(),
                r.fhir().ratio(),
                r.hl7().validate().p50(),
                r.hl7().validate().p99(),
                r.hl7().parse().p50(),
                r.hl7().ratio(),
                r.fhir().coldMillis());
    }

    private static void row(PrintStream out, String what, Latencies l) {
        out.printf("%-34s %10.3f %10.3f %10.3f%n", what, l.p50(), l.p99(), l.max());
    }

    private Latencies time(Supplier<?> work) {
        for (int i = 0; i < settings.warmUp(); i++) {
            work.get();
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < settings.iterations(); i++) {
            long t0 = System.nanoTime();
            work.get();
            millis.add((System.nanoTime() - t0) / 1e6);
        }
        return Latencies.of(millis);
    }

    private static String read(String location) {
        try (InputStream in = ValidationBenchmark.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalStateException(location + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
