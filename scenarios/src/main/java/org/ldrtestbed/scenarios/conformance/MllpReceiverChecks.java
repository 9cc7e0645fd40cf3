package org.ldrtestbed.scenarios.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.MllpClient;
import org.ldrtestbed.routes.contract.SutExchange;

/**
 * What a receiving system did with one HL7v2 message the testbed sent it over MLLP, from the attempts the run kept:
 * transport (the first attempt was acknowledged AA within the testbed's timeout), acknowledgement (the answer that
 * ended the delivery is an HL7v2 ACK of v2.4 structure whose MSA-2 names the message's MSH-10 with AA), and filed (the
 * Encounter it filed for the message, read at its FHIR base by the message's identity, {@value #MESSAGE_SYSTEM}{@code
 * |<MSH-4>-<MSH-10>} as the shared record names an ADT notice: once, for the patient the message named, valid R4).
 * Timeliness is the session's, as for every transport.
 */
final class MllpReceiverChecks {

    /** How the shared record, and a GP system the check reads, identify what an ADT message filed. */
    static final String MESSAGE_SYSTEM = "https://fhir.ldr-testbed.example/Id/hl7v2-message";

    /** Where a check's verdict goes (the session adds the system, flow and step). */
    @FunctionalInterface
    interface Verdicts {
        void add(String check, String verdict, String reason, List<FhirValidation.Issue> issues);
    }

    /** A GET at the system's FHIR base, with its credential. */
    @FunctionalInterface
    interface FhirReads {
        HttpResponse<String> get(URI uri) throws IOException, InterruptedException;
    }

    private final FhirValidation fhir;
    private final HapiContext strict = new DefaultHapiContext();

    MllpReceiverChecks(FhirValidation fhir) {
        this.fhir = fhir;
        strict.setModelClassFactory(new CanonicalModelClassFactory("2.4"));
        strict.setValidationContext(ValidationContextFactory.defaultValidation());
    }

    /**
     * @param attempts the message's exchanges to the system, oldest first (at least one)
     * @param fhirBase the system's FHIR base, or null when it has none (filed is then not tested)
     */
    void judge(List<SutExchange> attempts, String fhirBase, FhirReads reads, Verdicts verdicts) {
        SutExchange first = attempts.getFirst();
        String controlId = AdtMessages.controlId(first.request());
        String tries = attempts.stream().map(MllpReceiverChecks::describe).collect(Collectors.joining(", "));
        boolean firstAa = "AA".equals(code(first));
        verdicts.add(
                "transport",
                firstAa ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                (firstAa ? "" : "the first attempt was not acknowledged AA in time: ") + attempts.size()
                        + " attempt(s) to " + first.endpoint() + ": " + tries,
                List.of());
        List<SutExchange> answered =
                attempts.stream().filter(e -> e.response() != null).toList();
        if (answered.isEmpty()) {
            verdicts.add("acknowledgement", ConformanceCheck.BLOCKED, "no answer to judge", List.of());
            verdicts.add("filed", ConformanceCheck.BLOCKED, "nothing was acknowledged", List.of());
            return;
        }
        // The answer that ended the delivery: an AA after an AE, or the last of answers that never were one.
        SutExchange last =
                answered.stream().filter(e -> "AA".equals(code(e))).findFirst().orElse(answered.getLast());
        List<FhirValidation.Issue> issues = ackIssues(last.response());
        String code = code(last);
        String answers = MllpClient.acknowledgementCode(last.response()) == null ? null : msa2(last.response());
        String problem = code == null
                ? "the answer is no acknowledgement (no MSA segment): "
                        + last.response().split("\r", 2)[0]
                : !Objects.equals(controlId, answers)
                        ? "the ACK names message " + answers + ", not the message's MSH-10 " + controlId
                        : !"AA".equals(code)
                                ? "MSA-1 is " + code + textOf(last.response())
                                : issues.stream().anyMatch(FhirValidation.Issue::isError)
                                        ? "the ACK breaks the v2.4 ACK structure"
                                        : null;
        verdicts.add(
                "acknowledgement",
                problem == null ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                problem == null ? "ACK AA for " + controlId : problem,
                issues);
        // A system that answered AE or AR did not take the message; one that answered anything else may have.
        if (code != null && !"AA".equals(code)) {
            verdicts.add("filed", ConformanceCheck.BLOCKED, "the message was not acknowledged AA", List.of());
        } else if (fhirBase == null) {
            verdicts.add(
                    "filed",
                    ConformanceCheck.NOT_TESTED,
                    "the system has no FHIR base (endpoint.fhir-base) to read what it filed at",
                    List.of());
        } else {
            filed(first.request(), fhirBase, reads, verdicts);
        }
    }

    /** The Encounter the system filed for the message: found by the message's identity, once, for its patient. */
    private void filed(String er7, String fhirBase, FhirReads reads, Verdicts verdicts) {
        String key = field(er7, "MSH", 4) + "-" + AdtMessages.controlId(er7);
        URI query = URI.create(fhirBase.replaceAll("/+$", "") + "/Encounter?identifier="
                + URLEncoder.encode(MESSAGE_SYSTEM + "|" + key, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> answer = reads.get(query);
            if (answer.statusCode() != 200) {
                verdicts.add(
                        "filed", ConformanceCheck.FAIL, "GET " + query + " answered " + answer.statusCode(), List.of());
                return;
            }
            FhirContext context = fhir.fhirContext();
            List<Encounter> held =
                    context.newJsonParser().parseResource(Bundle.class, answer.body()).getEntry().stream()
                            .map(Bundle.BundleEntryComponent::getResource)
                            .filter(Encounter.class::isInstance)
                            .map(Encounter.class::cast)
                            .toList();
            String sentNhs = nhsNumber(er7);
            List<FhirValidation.Issue> issues = held.size() == 1
                    ? fhir.validate(context.newJsonParser().encodeResourceToString(held.getFirst()))
                    : List.of();
            String heldNhs = held.size() == 1 ? subjectNhs(held.getFirst()) : null;
            String problem = held.isEmpty()
                    ? "it holds no Encounter for message " + key
                    : held.size() > 1
                            ? "it filed message " + key + " " + held.size() + " times (a redelivery was not recognised)"
                            : !Objects.equals(sentNhs, heldNhs)
                                    ? "wrong patient: filed for NHS number " + heldNhs + ", sent for " + sentNhs
                                    : issues.stream().anyMatch(FhirValidation.Issue::isError)
                                            ? "what it filed is not valid FHIR R4"
                                            : null;
            verdicts.add(
                    "filed",
                    problem == null ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                    problem == null ? "found by " + query + ": one Encounter, for the same patient" : problem,
                    issues);
        } catch (IOException | RuntimeException e) {
            verdicts.add(
                    "filed", ConformanceCheck.FAIL, "cannot read back " + query + ": " + e.getMessage(), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ACK against HAPI's v2.4 ACK structure and its data types. */
    private List<FhirValidation.Issue> ackIssues(String ack) {
        List<FhirValidation.Issue> issues = new ArrayList<>();
        try {
            strict.getPipeParser().parse(ack);
        } catch (HL7Exception e) {
            issues.add(new FhirValidation.Issue(
                    "error",
                    e.getLocation() == null || e.getLocation().getSegmentName() == null
                            ? "(message)"
                            : e.getLocation().toString(),
                    "not a valid HL7v2 ACK: " + e.getMessage()));
        }
        return issues;
    }

    private static String describe(SutExchange e) {
        if (e.response() == null) {
            return "no answer (" + e.error() + ")";
        }
        String code = code(e);
        return code == null ? "no ACK" : code;
    }

    private static String code(SutExchange e) {
        return e.response() == null ? null : MllpClient.acknowledgementCode(e.response());
    }

    private static String msa2(String ack) {
        return field(ack, "MSA", 2);
    }

    private static String textOf(String ack) {
        String text = MllpClient.acknowledgementText(ack);
        return text == null || text.isBlank() ? "" : ": " + text;
    }

    /** The NHS number PID-3 names (assigning authority NHS or type NH). */
    private static String nhsNumber(String er7) {
        String pid3 = field(er7, "PID", 3);
        if (pid3 == null) {
            return null;
        }
        for (String repetition : pid3.split("~")) {
            String[] components = repetition.split("\\^", -1);
            boolean nhs = (components.length > 3 && components[3].startsWith("NHS"))
                    || (components.length > 4 && "NH".equals(components[4]));
            if (nhs) {
                return components[0];
            }
        }
        return null;
    }

    private static String subjectNhs(Encounter encounter) {
        var identifier = encounter.getSubject().getIdentifier();
        return NhsNumber.SYSTEM.equals(identifier.getSystem()) ? identifier.getValue() : null;
    }

    /** Field n of the first segment of that name, MSH counted as HL7 counts it. */
    private static String field(String er7, String segment, int n) {
        for (String line : er7.split("[\r\n]+")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                int index = segment.equals("MSH") ? n - 1 : n;
                return index < fields.length && !fields[index].isBlank() ? fields[index] : null;
            }
        }
        return null;
    }
}
