package org.ldrtestbed.routes.socialcare;

import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (f), the council's side: adult social care answers a hospital's notice (accepts or rejects an
 * assessment notice, agrees or disagrees with a discharge notice, accepts or rejects a withdrawal), recorded in its
 * own system as a Task (status accepted or rejected, the response code of SNOMED refset 75691000000106, focus the
 * notice, a reason when it rejects, {@code restriction.recipient} the hospital). This checks it and gives the answer
 * as it travels; its filing at both ends is {@link NoticeResponseDelivery}'s.
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

    /**
     * An answer as it travels back to the hospital.
     *
     * @param answer the council's Task (its id is the answer's), naming the patient by NHS number
     * @param code its response code (refset 75691000000106)
     * @param response what the code says, and whether it accepts
     * @param notice id of the notice answered (a ServiceRequest)
     * @param hospital the hospital the answer is for ({@code Organization/<id>})
     */
    public record AdwResponse(Task answer, Coding code, Response response, String notice, Reference hospital) {

        /** The status the answer gives the notice: accepted or rejected. */
        public Task.TaskStatus status() {
            return response.accepts() ? Task.TaskStatus.ACCEPTED : Task.TaskStatus.REJECTED;
        }
    }

    /**
     * The answer as it travels.
     *
     * @throws InvalidMessageException when it is not a complete answer to a notice
     */
    public AdwResponse toResponse(Task answer) {
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

        Task sent = answer.copy();
        sent.setFor(new Reference(answer.getFor().getReference()).setIdentifier(nhs.copy()));
        return new AdwResponse(sent, code.copy(), response, notice, hospital);
    }

    /** What a rejection gives as its reason: the text, or the coded reason's display. */
    static String reason(Task answer) {
        return answer.getStatusReason().hasText()
                ? answer.getStatusReason().getText()
                : answer.getStatusReason().getCodingFirstRep().getDisplay();
    }
}
