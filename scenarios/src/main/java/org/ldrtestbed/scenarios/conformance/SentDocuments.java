package org.ldrtestbed.scenarios.conformance;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;

/**
 * A FHIR document a sending system under test posts to the testbed in a step's place ({@code send-document}): what
 * the prompt tells it, and the checks its write comes to. The system names its run by the {@value Headers#JOURNEY}
 * header, which any HTTP client can set (over MESH, by its message's {@code mex-localid}); the testbed refuses a write
 * naming a run for another patient.
 */
final class SentDocuments {

    /** The profile a flow's document is validated against besides base R4; a flow not named here: base R4 only. */
    private static final Map<String, String> PROFILES =
            Map.of("discharge-summary", IgPackages.DISCHARGE_SUMMARY_DOCUMENT);

    /** Fact: the header the system puts on its write, so the testbed matches it to the run. */
    static final String HEADER = "header";

    /**
     * Fact: the clinical content the organisation's record holds for the document, as a FHIR {@code collection}
     * Bundle (Composition first): what a tester would enter in the system. The document around it (its identifier,
     * timestamp, entries' full URLs) is the system's to make.
     */
    static final String CONTENT = "content";

    /** Fact: how the system sends it, one of the binding's transports ({@code fhir-rest}, {@code mesh}). */
    static final String TRANSPORT = "transport";

    /** Facts of a MESH send: the sender's own mailbox, the recipient's, the run as the local id, the workflow. */
    static final String MEX_FROM = "mex-from";

    static final String MEX_TO = "mex-to";
    static final String MEX_LOCAL_ID = "mex-localid";
    static final String MEX_WORKFLOW_ID = "mex-workflowid";
    private static final String MAILBOX_SUFFIX = "-MBX";

    private final FhirContext fhirContext;
    private final FhirValidation validation;

    SentDocuments(FhirValidation validation) {
        this.validation = validation;
        this.fhirContext = validation.fhirContext();
    }

    /** One check of the write: {@code transport}, {@code acknowledgement} or {@code content}. */
    record Check(String check, String verdict, String reason, List<FhirValidation.Issue> issues) {}

    /**
     * What the write came to.
     *
     * @param failure why later steps that needed the document cannot use it, or null when it came right
     * @param stored the stored document's id with version, when the testbed filed it
     */
    record Judgement(List<Check> checks, String failure, String stored) {}

    /**
     * What the prompt tells the system, by name, from the document the testbed would have sent.
     *
     * @param system the sending system's binding: its transport says where it posts
     * @param meshWorkflow the flow's MESH workflow id, or null
     */
    Map<String, String> facts(
            String example, String run, String nhsNumber, SystemUnderTest system, String meshWorkflow) {
        Bundle document = fhirContext.newJsonParser().parseResource(Bundle.class, example);
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("nhs-number", nhsNumber);
        facts.put(TRANSPORT, system.transport());
        if (SystemUnderTest.MESH.equals(system.transport())) {
            // MESH names the run in the sender's own local id, and the recipient by mailbox.
            facts.put(MEX_FROM, system.organisation() + MAILBOX_SUFFIX);
            recipient(document).ifPresent(ods -> facts.put(MEX_TO, ods + MAILBOX_SUFFIX));
            facts.put(MEX_LOCAL_ID, run);
            if (meshWorkflow != null) {
                facts.put(MEX_WORKFLOW_ID, meshWorkflow);
            }
        } else {
            facts.put(HEADER, Headers.JOURNEY + ": " + run);
            facts.put("post-to", "Bundle");
        }
        resources(document, Composition.class).stream().findFirst().ifPresent(c -> {
            facts.put("document-type", c.getType().getCodingFirstRep().getCode());
            facts.put("title", c.getTitle());
            facts.put(
                    "sections",
                    c.getSection().stream()
                            .map(Composition.SectionComponent::getTitle)
                            .collect(Collectors.joining("; ")));
        });
        resources(document, Encounter.class).stream()
                .filter(e -> e.getPeriod().hasEnd())
                .findFirst()
                .ifPresent(e ->
                        facts.put("discharged-at", e.getPeriod().getEndElement().getValueAsString()));
        String actions = document.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .flatMap(r -> switch (r) {
                    case MedicationRequest m -> m.getNote().stream().map(n -> n.getText());
                    case ServiceRequest s -> s.getNote().stream().map(n -> n.getText());
                    default -> java.util.stream.Stream.<String>empty();
                })
                .filter(Objects::nonNull)
                .map(t -> t.replaceAll("\\s+", " ").trim())
                .collect(Collectors.joining(" | "));
        if (!actions.isBlank()) {
            facts.put("requested-actions", actions);
        }
        Bundle content = new Bundle().setType(Bundle.BundleType.COLLECTION);
        document.getEntry()
                .forEach(e -> content.addEntry().setFullUrl(e.getFullUrl()).setResource(e.getResource()));
        facts.put(CONTENT, fhirContext.newJsonParser().encodeResourceToString(content));
        return facts;
    }

    /** The prompt for a person. */
    static String text(String system, String organisation, String flow, Map<String, String> facts, String step) {
        String what = system + " (in " + organisation + "'s place): send the " + flow + " document (FHIR document"
                + " Bundle, " + facts.getOrDefault("title", "type " + facts.get("document-type")) + ") for NHS number "
                + facts.get("nhs-number")
                + (facts.containsKey("discharged-at") ? ", discharged " + facts.get("discharged-at") : "") + " now: ";
        String how = SystemUnderTest.MESH.equals(facts.get(TRANSPORT))
                ? "POST it to the testbed's /mesh/messageexchange/" + facts.get(MEX_FROM) + "/outbox with your system"
                        + " client's token, mex-to: " + facts.getOrDefault(MEX_TO, "<the recipient's mailbox>")
                        + ", mex-localid: " + facts.get(MEX_LOCAL_ID)
                        + (facts.containsKey(MEX_WORKFLOW_ID) ? ", mex-workflowid: " + facts.get(MEX_WORKFLOW_ID) : "")
                : "POST it to the testbed's FHIR base /Bundle with your system client's token and the header "
                        + facts.get(HEADER);
        return what + how + " (step " + step + ")";
    }

    /** The ODS code of the patient's GP practice, as the document names it. */
    private static java.util.Optional<String> recipient(Bundle document) {
        return resources(document, Patient.class).stream()
                .flatMap(p -> p.getGeneralPractitioner().stream())
                .map(r -> r.getReference())
                .filter(Objects::nonNull)
                .flatMap(ref -> document.getEntry().stream()
                        .filter(e -> ref.equals(e.getFullUrl()))
                        .map(Bundle.BundleEntryComponent::getResource))
                .filter(r -> r instanceof org.hl7.fhir.r4.model.Organization)
                .flatMap(r -> ((org.hl7.fhir.r4.model.Organization) r).getIdentifier().stream())
                .filter(i -> "https://fhir.nhs.uk/Id/ods-organization-code".equals(i.getSystem()))
                .map(i -> i.getValue())
                .findFirst();
    }

    /** The checks a system's write comes to, for the step's patient. */
    Judgement judge(SutExchange exchange, String flow, String nhsNumber) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(
                "transport",
                ConformanceCheck.PASS,
                "received over " + exchange.transport() + ": " + exchange.endpoint(),
                List.of()));
        List<FhirValidation.Issue> issues = new ArrayList<>();
        String profile = PROFILES.get(flow);
        try {
            issues.addAll(
                    profile == null
                            ? validation.validate(exchange.request())
                            : validation.validate(exchange.request(), profile));
            Bundle sent = fhirContext.newJsonParser().parseResource(Bundle.class, exchange.request());
            if (sent.getType() != Bundle.BundleType.DOCUMENT) {
                issues.add(new FhirValidation.Issue(
                        "error",
                        "Bundle.type",
                        "a document Bundle is of type document, not "
                                + (sent.getType() == null
                                        ? "none"
                                        : sent.getType().toCode())));
            }
            String sentNhs = nhsNumber(sent);
            if (!nhsNumber.equals(sentNhs)) {
                issues.add(new FhirValidation.Issue(
                        "error",
                        "Bundle.entry.resource.ofType(Patient).identifier",
                        "wrong patient: the document is for NHS number " + sentNhs + ", the step's patient is "
                                + nhsNumber));
            }
        } catch (DataFormatException | ClassCastException e) {
            issues.add(new FhirValidation.Issue("error", "Bundle", "not a FHIR R4 Bundle: " + e.getMessage()));
        }
        List<FhirValidation.Issue> errors =
                issues.stream().filter(FhirValidation.Issue::isError).toList();
        checks.add(new Check(
                "content",
                errors.isEmpty() ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                errors.isEmpty()
                        ? "a valid FHIR R4 document" + (profile == null ? "" : " (" + profile + ")")
                                + " for the step's patient"
                        : errors.stream()
                                .map(i -> i.location() + ": " + i.message())
                                .collect(Collectors.joining("; ")),
                issues));
        Integer status = exchange.status();
        boolean filed = status != null && status >= 200 && status < 300;
        checks.add(new Check(
                "acknowledgement",
                filed ? ConformanceCheck.PASS : ConformanceCheck.FAIL,
                "the testbed answered " + (status == null ? "nothing" : status)
                        + (filed ? ", filed as " + exchange.location() : ": " + diagnostics(exchange)),
                List.of()));
        String failure = !errors.isEmpty()
                ? "its document was not valid (" + errors.getFirst().message() + ")"
                : !filed ? "the testbed refused its document (" + status + ": " + diagnostics(exchange) + ")" : null;
        return new Judgement(checks, failure, filed ? exchange.location() : null);
    }

    private String diagnostics(SutExchange exchange) {
        if (exchange.response() != null) {
            try {
                OperationOutcome outcome =
                        fhirContext.newJsonParser().parseResource(OperationOutcome.class, exchange.response());
                String said = outcome.getIssue().stream()
                        .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics)
                        .filter(Objects::nonNull)
                        .collect(Collectors.joining("; "));
                if (!said.isBlank()) {
                    return said;
                }
            } catch (DataFormatException | ClassCastException e) {
                // Not an OperationOutcome: the error says why, if anything does.
            }
        }
        return exchange.error() == null ? "(no reason given)" : exchange.error();
    }

    private static String nhsNumber(Bundle bundle) {
        return resources(bundle, Patient.class).stream()
                .flatMap(p -> p.getIdentifier().stream())
                .filter(i -> NhsNumber.SYSTEM.equals(i.getSystem()))
                .map(i -> i.getValue())
                .findFirst()
                .orElse(null);
    }

    private static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
