package org.ldrtestbed.scenarios.conformance;

import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.scenarios.engine.SupplierMode.Expected;
import org.ldrtestbed.scenarios.engine.SupplierMode.PullTurn;
import org.ldrtestbed.scenarios.report.JourneyResult.ActionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * The GP Connect-style structured-record pull from a GP system under test: {@code POST
 * [base]/Patient/$gpc.getstructuredrecord} for the run's patient, retried (bounded by the session's patience) while
 * the system is unreachable or answers 5xx; the answer validated (HAPI's instance validator: base R4 and the IG
 * packages), a collection Bundle naming the patient by the right NHS number and holding each entry the step expects
 * (matched by type and first code); then what matched filed in the shared record as the step's actor would have
 * written it, filling the step's labels. Every exchange becomes checks: transport, content, filed, timeliness.
 */
public final class StructuredRecordPull {

    /** The operation, at the system's FHIR base. */
    public static final String OPERATION = "Patient/$gpc.getstructuredrecord";

    /** How soon a GP system must answer a pull: as soon as a receiver must answer a delivery. */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);

    /** The first pause between attempts while the system is down, doubled after each (bounded by the patience left). */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private static final Set<String> ALLERGY_TYPES = Set.of("AllergyIntolerance");
    private static final Set<String> MEDICATION_TYPES = Set.of("MedicationStatement", "MedicationRequest");

    private final FhirValidation fhir;
    private final HttpClient http;
    private final Duration patience;
    private final Clock wall;
    /** Per run, what earlier pulls filed: the system's entry (Type/id) → the shared record's reference. */
    private final Map<String, Map<String, String>> filed = new ConcurrentHashMap<>();

    public StructuredRecordPull(FhirValidation fhir, HttpClient http, Duration patience, Clock wall) {
        this.fhir = fhir;
        this.http = http;
        this.patience = patience;
        this.wall = wall;
    }

    /** One check the pull made. */
    public record Finding(String check, String verdict, String reason, List<FhirValidation.Issue> issues) {}

    /**
     * What one pull showed.
     *
     * @param failed why what later steps need of the system did not come right, or null
     */
    public record Outcome(ActionResult action, List<Finding> findings, String failed) {}

    /**
     * The prompt for the supplier: record these entries for the patient, the testbed then pulls them. Its {@code
     * example} is a collection Bundle of the patient and the entries, for a system that acts on prompts itself.
     */
    public Prompt prompt(PullTurn turn, Instant expires) {
        Bundle asked = new Bundle().setType(Bundle.BundleType.COLLECTION);
        String patientUrl = "urn:uuid:" + UUID.randomUUID();
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(turn.nhsNumber());
        asked.addEntry().setFullUrl(patientUrl).setResource(patient);
        for (Expected e : turn.expected()) {
            Resource entry = e.resource().copy();
            fhir.fhirContext().newTerser().getAllResourceReferences(entry).forEach(r -> {
                if ("Patient"
                        .equals(r.getResourceReference().getReferenceElement().getResourceType())) {
                    r.getResourceReference().setReference(patientUrl);
                }
            });
            asked.addEntry().setFullUrl(e.fullUrl()).setResource(entry);
        }
        String entries =
                turn.expected().stream().map(e -> describe(e.resource())).collect(Collectors.joining("; "));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("nhs-number", turn.nhsNumber());
        facts.put("entries", entries);
        facts.put("operation", OPERATION);
        String text = turn.system().system() + " (in " + turn.system().organisation() + "'s place): record for NHS"
                + " number " + turn.nhsNumber() + ": " + entries + "; the testbed then pulls them with POST "
                + turn.system().endpoint().replaceAll("/$", "") + "/" + OPERATION + " (step "
                + turn.step().id()
                + ")";
        return new Prompt(
                turn.runId(),
                turn.step().id(),
                turn.system().system(),
                turn.system().organisation(),
                turn.system().flow(),
                text,
                facts,
                fhir.fhirContext().newJsonParser().encodeResourceToString(asked),
                turn.at(),
                expires);
    }

    /** Pulls, judges and files; never throws for what the system did. */
    public Outcome pull(PullTurn turn) throws InterruptedException {
        List<Finding> findings = new ArrayList<>();
        String title = turn.action().title() == null
                ? "pull from " + turn.system().system()
                : turn.action().title();
        Instant deadline = wall.instant().plus(patience);
        Answer answer = ask(turn, deadline);
        // Entries the supplier has not yet recorded are asked for again (bounded); a wrong answer is judged at once.
        while (answer.status() != null
                && answer.status() == 200
                && missingOnly(answer, turn)
                && wall.instant().plus(RETRY_AFTER).isBefore(deadline)) {
            pauseBefore(deadline, RETRY_AFTER);
            Answer again = ask(turn, deadline);
            if (again.status() == null) {
                break;
            }
            answer = again;
        }
        if (answer.status() == null || answer.status() != 200) {
            String why = answer.status() == null
                    ? "no answer from " + answer.url() + " within " + patience + ": " + answer.problem()
                    : answer.url() + " answered " + answer.status() + " (" + answer.attempts() + " attempt(s))"
                            + Optional.ofNullable(answer.body())
                                    .filter(b -> !b.isBlank())
                                    .map(b -> ": " + abbreviate(b))
                                    .orElse("");
            findings.add(new Finding("transport", ConformanceCheck.FAIL, why, List.of()));
            findings.add(new Finding("content", ConformanceCheck.BLOCKED, "no answer to judge", List.of()));
            findings.add(new Finding("filed", ConformanceCheck.BLOCKED, "nothing was pulled", List.of()));
            return new Outcome(new ActionResult(title, Verdict.FAIL, why), findings, why);
        }
        findings.add(new Finding(
                "transport",
                ConformanceCheck.PASS,
                "POST " + answer.url() + " answered 200 after " + answer.took() + " (attempt " + answer.attempts()
                        + ")",
                List.of()));
        boolean late = answer.took().compareTo(ANSWER_WITHIN) > 0;
        findings.add(new Finding(
                "timeliness",
                late ? ConformanceCheck.FAIL : ConformanceCheck.PASS,
                "answered after " + answer.took() + (late ? ", later than " : " (within ") + ANSWER_WITHIN
                        + (late ? "" : ")"),
                List.of()));

        List<FhirValidation.Issue> issues = new ArrayList<>(fhir.validate(answer.body()));
        Bundle record = null;
        try {
            record = parser().parseResource(Bundle.class, answer.body());
        } catch (RuntimeException e) {
            issues.add(new FhirValidation.Issue("fatal", "(body)", "not a FHIR Bundle: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        Map<Expected, Bundle.BundleEntryComponent> matched = new LinkedHashMap<>();
        if (record != null) {
            problems.addAll(shape(record, turn.nhsNumber()));
            Set<Bundle.BundleEntryComponent> used = new HashSet<>();
            Map<String, String> before = filed.getOrDefault(turn.runId(), Map.of());
            for (Expected e : turn.expected()) {
                Optional<Bundle.BundleEntryComponent> found = record.getEntry().stream()
                        .filter(entry -> entry.getResource() != null
                                && !used.contains(entry)
                                && !before.containsKey(localId(entry.getResource()))
                                && entry.getResource()
                                        .fhirType()
                                        .equals(e.resource().fhirType())
                                && Objects.equals(firstCode(entry.getResource()), firstCode(e.resource()))
                                && firstCode(e.resource()) != null)
                        .findFirst();
                if (found.isPresent()) {
                    used.add(found.get());
                    matched.put(e, found.get());
                } else {
                    problems.add("no " + describe(e.resource()) + " (label " + e.label() + ") in the answer");
                }
            }
        }
        boolean invalid = issues.stream().anyMatch(FhirValidation.Issue::isError);
        if (invalid) {
            problems.addFirst("the answer is not valid FHIR R4: "
                    + issues.stream()
                            .filter(FhirValidation.Issue::isError)
                            .limit(3)
                            .map(i -> i.location() + ": " + i.message())
                            .collect(Collectors.joining("; ")));
        }
        if (!problems.isEmpty()) {
            String why = String.join("; ", problems);
            findings.add(new Finding("content", ConformanceCheck.FAIL, why, issues));
            findings.add(new Finding(
                    "filed", ConformanceCheck.BLOCKED, "the answer did not hold the step's entries", List.of()));
            return new Outcome(
                    new ActionResult(title, Verdict.FAIL, turn.system().system() + " answered, but " + why),
                    findings,
                    turn.system().system() + " in step " + turn.step().id() + ": " + why);
        }
        findings.add(new Finding(
                "content",
                ConformanceCheck.PASS,
                "a valid collection Bundle for NHS number " + turn.nhsNumber() + " holding each of the step's "
                        + turn.expected().size() + " entries",
                issues));
        try {
            List<String> references = file(turn, record, matched);
            String what = "pulled from " + turn.system().system() + " and filed as the practice: "
                    + String.join(", ", references);
            findings.add(new Finding("filed", ConformanceCheck.PASS, what, List.of()));
            return new Outcome(new ActionResult(title, Verdict.PASS, what), findings, null);
        } catch (RuntimeException e) {
            String why = "the shared record refused what was pulled: " + e.getMessage();
            findings.add(new Finding("filed", ConformanceCheck.FAIL, why, List.of()));
            return new Outcome(
                    new ActionResult(title, Verdict.FAIL, why),
                    findings,
                    turn.system().system() + " in step " + turn.step().id() + ": " + why);
        }
    }

    /** Whether the answer is right but for entries not (yet) in it. */
    private boolean missingOnly(Answer answer, PullTurn turn) {
        try {
            Bundle record = parser().parseResource(Bundle.class, answer.body());
            if (!shape(record, turn.nhsNumber()).isEmpty()) {
                return false;
            }
            List<Resource> held = record.getEntry().stream()
                    .map(Bundle.BundleEntryComponent::getResource)
                    .filter(Objects::nonNull)
                    .toList();
            return turn.expected().stream()
                    .anyMatch(e -> held.stream()
                            .noneMatch(r -> r.fhirType().equals(e.resource().fhirType())
                                    && Objects.equals(firstCode(r), firstCode(e.resource()))));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A collection Bundle whose Patient has the run's NHS number. */
    private static List<String> shape(Bundle record, String nhsNumber) {
        List<String> problems = new ArrayList<>();
        if (record.getType() != Bundle.BundleType.COLLECTION) {
            problems.add("the answer is a "
                    + (record.hasType() ? record.getType().toCode() : "untyped") + " Bundle, not a collection");
        }
        List<String> numbers = record.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .flatMap(p -> ((Patient) p).getIdentifier().stream())
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(Identifier::getValue)
                .toList();
        if (numbers.isEmpty()) {
            problems.add("the answer holds no Patient with an NHS number");
        } else if (!numbers.contains(nhsNumber)) {
            problems.add("wrong patient: the answer is for NHS number " + String.join(", ", numbers) + ", asked for "
                    + nhsNumber);
        }
        return problems;
    }

    /** Files the matched entries in one transaction as the step's actor; their references follow them. */
    private List<String> file(PullTurn turn, Bundle record, Map<Expected, Bundle.BundleEntryComponent> matched) {
        Map<String, String> before = filed.computeIfAbsent(turn.runId(), r -> new ConcurrentHashMap<>());
        // The system's ids (relative and as full URLs) of what is filed now → the transaction's own.
        Map<String, String> now = new HashMap<>();
        Set<String> systemEntries = new HashSet<>();
        Set<String> patients = new HashSet<>();
        for (Bundle.BundleEntryComponent entry : record.getEntry()) {
            if (entry.getResource() == null) {
                continue;
            }
            Set<String> names = Set.of(localId(entry.getResource()), String.valueOf(entry.getFullUrl()));
            systemEntries.addAll(names);
            if (entry.getResource() instanceof Patient) {
                patients.addAll(names);
            }
        }
        matched.values().forEach(entry -> {
            String urn = "urn:uuid:" + UUID.randomUUID();
            now.put(localId(entry.getResource()), urn);
            now.put(String.valueOf(entry.getFullUrl()), urn);
        });
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<String> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        matched.forEach((expected, entry) -> {
            Resource resource = entry.getResource().copy();
            ids.add(localId(entry.getResource()));
            resource.setId((String) null);
            resource.getMeta().setVersionId(null).setLastUpdated(null).setSource(null);
            fhir.fhirContext().newTerser().getAllResourceReferences(resource).forEach(r -> {
                var reference = r.getResourceReference();
                String to = reference.getReferenceElement().getValue();
                if (to == null) {
                    return;
                }
                String relative = reference
                        .getReferenceElement()
                        .toUnqualifiedVersionless()
                        .getValue();
                if (patients.contains(to) || patients.contains(relative)) {
                    reference.setReference(turn.patientReference());
                } else if (now.containsKey(to) || now.containsKey(relative)) {
                    reference.setReference(now.getOrDefault(to, now.get(relative)));
                } else if (before.containsKey(relative)) {
                    reference.setReference(before.get(relative));
                } else if (systemEntries.contains(to) || systemEntries.contains(relative)) {
                    // An entry of the GP system's that is not filed: named, not linked.
                    reference.setReference(null);
                    if (reference instanceof org.hl7.fhir.r4.model.Reference ref && !ref.hasDisplay()) {
                        ref.setDisplay("in " + turn.system().system() + ": " + relative);
                    }
                }
            });
            transaction
                    .addEntry()
                    .setFullUrl(now.get(localId(entry.getResource())))
                    .setResource(resource)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl(resource.fhirType());
            labels.add(expected.label());
        });
        List<String> references = turn.filing().file(transaction, labels);
        for (int i = 0; i < ids.size(); i++) {
            before.put(ids.get(i), references.get(i));
        }
        return references;
    }

    /** The answer to the pull: the first 200, or the last failure at the deadline. */
    private record Answer(String url, Integer status, String body, String problem, int attempts, Duration took) {}

    private Answer ask(PullTurn turn, Instant deadline) throws InterruptedException {
        String url = turn.system().endpoint().replaceAll("/$", "") + "/" + OPERATION;
        String body = fhir.fhirContext().newJsonParser().encodeResourceToString(parameters(turn));
        int attempts = 0;
        Duration backOff = RETRY_AFTER;
        Answer last = new Answer(url, null, null, "not asked", 0, Duration.ZERO);
        while (true) {
            Duration left = Duration.between(wall.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return last;
            }
            attempts++;
            Instant sent = wall.instant();
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(url))
                    .timeout(left)
                    .header("Content-Type", "application/fhir+json")
                    .header("Accept", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (turn.system().authorization() != null) {
                post.header("Authorization", turn.system().authorization());
            }
            try {
                HttpResponse<String> response = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
                last = new Answer(
                        url,
                        response.statusCode(),
                        response.body(),
                        null,
                        attempts,
                        Duration.between(sent, wall.instant()));
                // Only a system that is down is asked again; any other answer is its answer.
                if (response.statusCode() / 100 != 5) {
                    return last;
                }
            } catch (HttpTimeoutException e) {
                // At the deadline: a system that answered 5xx before is judged by that answer.
                return last.status() != null
                        ? last
                        : new Answer(url, null, null, "timed out", attempts, Duration.between(sent, wall.instant()));
            } catch (IOException e) {
                last = new Answer(url, null, null, e.toString(), attempts, Duration.between(sent, wall.instant()));
            }
            pauseBefore(deadline, backOff);
            backOff = backOff.multipliedBy(2);
        }
    }

    /**
     * A pause before asking a system again, never past the deadline: nothing tells the testbed when a system under
     * test is back up or has recorded what it was asked to.
     */
    private void pauseBefore(Instant deadline, Duration wanted) throws InterruptedException {
        Duration pause = Duration.between(wall.instant(), deadline);
        if (pause.compareTo(wanted) > 0) {
            pause = wanted;
        }
        if (!pause.isNegative()) {
            Thread.sleep(pause.toMillis());
        }
    }

    /** GP Connect's parameters: the patient, and the sections the step's entries are in. */
    private static Parameters parameters(PullTurn turn) {
        Parameters parameters = new Parameters();
        parameters
                .addParameter()
                .setName("patientNHSNumber")
                .setValue(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(turn.nhsNumber()));
        Set<String> types =
                turn.expected().stream().map(e -> e.resource().fhirType()).collect(Collectors.toSet());
        if (types.stream().anyMatch(ALLERGY_TYPES::contains)) {
            parameters
                    .addParameter()
                    .setName("includeAllergies")
                    .addPart()
                    .setName("includeResolvedAllergies")
                    .setValue(new BooleanType(true));
        }
        if (types.stream().anyMatch(MEDICATION_TYPES::contains)) {
            parameters
                    .addParameter()
                    .setName("includeMedication")
                    .addPart()
                    .setName("includePrescriptionIssues")
                    .setValue(new BooleanType(false));
        }
        return parameters;
    }

    /** Forget a run's filed entries. */
    void forget(String runId) {
        filed.remove(runId);
    }

    /** The first code of an entry's coded concept (allergen, medicine) as system|code, or its text; else null. */
    static String firstCode(Resource resource) {
        CodeableConcept concept = switch (resource) {
            case AllergyIntolerance a -> a.getCode();
            case MedicationStatement m -> m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
            case MedicationRequest m -> m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
            default -> null;
        };
        if (concept == null) {
            return null;
        }
        return concept.getCoding().stream()
                .filter(c -> c.hasCode())
                .map(c -> c.getSystem() + "|" + c.getCode())
                .findFirst()
                .orElse(concept.hasText() ? concept.getText() : null);
    }

    private static String describe(Resource resource) {
        String display = null;
        CodeableConcept concept = switch (resource) {
            case AllergyIntolerance a -> a.getCode();
            case MedicationStatement m -> m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
            case MedicationRequest m -> m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null;
            default -> null;
        };
        if (concept != null) {
            display = concept.getCoding().stream()
                    .filter(c -> c.hasDisplay())
                    .map(c -> c.getDisplay())
                    .findFirst()
                    .orElse(concept.getText());
        }
        return resource.fhirType() + " "
                + Optional.ofNullable(firstCode(resource)).orElse("(no code)") + (display == null ? "" : " " + display);
    }

    private static String localId(Resource resource) {
        return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
    }

    private IParser parser() {
        return fhir.fhirContext().newJsonParser().setOverrideResourceIdWithBundleEntryFullUrl(false);
    }

    private static String abbreviate(String text) {
        String one = text.replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }
}
