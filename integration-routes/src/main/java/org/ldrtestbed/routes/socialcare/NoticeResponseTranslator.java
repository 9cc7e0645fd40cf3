package org.ldrtestbed.routes.socialcare;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (f), the council's side: adult social care answers a hospital's notice (accepts or rejects an
 * assessment notice, agrees or disagrees with a discharge notice, accepts or rejects a withdrawal), recorded in its
 * own system as a Task (status accepted or rejected, the response code of SNOMED refset 75691000000106, focus the
 * notice, a reason when it rejects, {@code restriction.recipient} the hospital). The answer is filed twice: the
 * council's worklist Task for the notice takes the answer's status and reason, and the hospital gets a Task in its
 * own worklist saying what the council answered. Receipt is idempotent on the answer's id.
 */
public final class NoticeResponseTranslator {

    public static final String SNOMED = SocialCareNoticeTranslator.SNOMED;
    public static final String RESPONSE_ID_SYSTEM = "https://fhir.ldr-testbed.example/Id/social-care-notice-response";

    /** An answer: what it says, and whether it accepts. */
    public record Response(String display, boolean accepts) {}

    /** The response codes of refset 75691000000106 (ADW message events). */
    public static final Map<String, Response> RESPONSES = Map.of(
            "975711000000108", new Response("Assessment Notice Accept Response", true),
            "975721000000102", new Response("Assessment Notice Reject Response", false),
            "975821000000109", new Response("Discharge Notice Agreement", true),
            "975831000000106", new Response("Discharge Notice Disagreement", false),
            "1025651000000109", new Response("Withdraw Notice Accept", true),
            "1025641000000106", new Response("Withdraw Notice Reject", false));

    public Bundle toFilings(Task answer) {
        String id = answer.getIdElement().getIdPart();
        if (id == null) {
            throw new InvalidMessageException("The answer has no id in the record it was written to");
        }
        Coding code = answer.getCode().getCoding().stream()
                .filter(c -> SNOMED.equals(c.getSystem()) && RESPONSES.containsKey(c.getCode()))
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        "Task.code is not a response to a notice (SNOMED refset 75691000000106)"));
        Response response = RESPONSES.get(code.getCode());
        Task.TaskStatus expected = response.accepts() ? Task.TaskStatus.ACCEPTED : Task.TaskStatus.REJECTED;
        if (answer.getStatus() != expected) {
            throw new InvalidMessageException(response.display() + " must have Task.status " + expected.toCode()
                    + ", not " + (answer.hasStatus() ? answer.getStatus().toCode() : "none"));
        }
        if (!response.accepts()
                && !answer.getStatusReason().hasText()
                && !answer.getStatusReason().hasCoding()) {
            throw new InvalidMessageException("A rejection must say why (Task.statusReason)");
        }
        String notice = answer.getFocus().getReferenceElement().getIdPart();
        if (notice == null
                || !"ServiceRequest"
                        .equals(answer.getFocus().getReferenceElement().getResourceType())) {
            throw new InvalidMessageException("Task.focus must name the notice answered (a ServiceRequest)");
        }
        Identifier nhs = PatientReferences.nhsNumber(
                answer.getFor(), "An answer must name the patient by a valid NHS number in Task.for.identifier");
        Reference hospital = answer.getRestriction().getRecipient().stream()
                .filter(r -> "Organization".equals(r.getReferenceElement().getResourceType())
                        && r.getReferenceElement().hasIdPart())
                .map(r ->
                        new Reference("Organization/" + r.getReferenceElement().getIdPart()))
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        "Task.restriction.recipient must name the hospital the answer is for (an Organization)"));
        if (!answer.hasAuthoredOn()) {
            throw new InvalidMessageException("An answer must be dated (Task.authoredOn)");
        }

        Bundle filing = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        // The council's worklist: the notice's Task takes the answer (JSON Patch "add" replaces, so a redelivery is
        // harmless).
        Binary patch = new Binary();
        patch.setContentType("application/json-patch+json");
        patch.setContent(worklistPatch(answer, expected).getBytes(StandardCharsets.UTF_8));
        filing.addEntry()
                .setResource(patch)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PATCH)
                .setUrl("Task?identifier=" + SocialCareNoticeTranslator.TASK_ID_SYSTEM + "|"
                        + URLEncoder.encode(notice, StandardCharsets.UTF_8));

        // The hospital's worklist: what the council answered, and why.
        Task told = new Task();
        told.addIdentifier(new Identifier().setSystem(RESPONSE_ID_SYSTEM).setValue(id));
        told.setStatus(expected);
        told.setIntent(Task.TaskIntent.ORDER);
        told.setCode(new CodeableConcept(new Coding(SNOMED, code.getCode(), response.display())));
        if (answer.hasStatusReason()) {
            told.setStatusReason(answer.getStatusReason().copy());
        }
        told.setDescription(response.display() + " from adult social care"
                + (answer.hasStatusReason() ? ": " + reason(answer) : "")
                + (answer.hasNote() ? " (" + answer.getNoteFirstRep().getText() + ")" : ""));
        told.setFocus(new Reference("ServiceRequest/" + notice));
        told.setFor(new Reference(answer.getFor().getReference()).setIdentifier(nhs.copy()));
        told.setOwner(hospital);
        told.setRequester(answer.getOwner().copy());
        told.setAuthoredOn(answer.getAuthoredOn());
        if (answer.hasExecutionPeriod()) {
            told.setExecutionPeriod(answer.getExecutionPeriod().copy());
        }
        return Filings.createOnce(filing, told, RESPONSE_ID_SYSTEM, id);
    }

    private static String reason(Task answer) {
        return answer.getStatusReason().hasText()
                ? answer.getStatusReason().getText()
                : answer.getStatusReason().getCodingFirstRep().getDisplay();
    }

    private static String worklistPatch(Task answer, Task.TaskStatus status) {
        StringBuilder ops = new StringBuilder("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"")
                .append(status.toCode())
                .append("\"}");
        if (answer.hasStatusReason()) {
            ops.append(",{\"op\":\"add\",\"path\":\"/statusReason\",\"value\":{\"text\":")
                    .append(json(reason(answer)))
                    .append("}}");
        }
        return ops.append("]").toString();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
