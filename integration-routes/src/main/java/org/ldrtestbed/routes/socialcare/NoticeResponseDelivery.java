package org.ldrtestbed.routes.socialcare;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.socialcare.NoticeResponseTranslator.AdwResponse;

/**
 * Files the council's answer twice: the council's worklist Task for the notice takes the answer's status and reason,
 * and the hospital gets a Task in its own worklist saying what the council answered. Receipt is idempotent on the
 * answer's id.
 */
public final class NoticeResponseDelivery implements FlowDelivery<AdwResponse> {

    private static final String SNOMED = NoticeResponseTranslator.SNOMED;
    private static final String RESPONSE_ID_SYSTEM = NoticeResponseTranslator.RESPONSE_ID_SYSTEM;

    private final RecordDelivery record;

    public NoticeResponseDelivery(RecordDelivery record) {
        this.record = record;
    }

    @Override
    public String deliver(AdwResponse response) {
        return RecordDelivery.summarise(record.deliver(filings(response)));
    }

    /** The council's worklist patch, then the hospital's worklist Task. */
    public static Bundle filings(AdwResponse adw) {
        Task answer = adw.answer();
        String id = answer.getIdElement().getIdPart();
        Coding code = adw.code();
        NoticeResponseTranslator.Response response = adw.response();
        Task.TaskStatus expected = adw.status();
        String notice = adw.notice();
        Reference hospital = adw.hospital();
        Identifier nhs = answer.getFor().getIdentifier();
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
                + (answer.hasStatusReason() ? ": " + NoticeResponseTranslator.reason(answer) : "")
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

    private static String worklistPatch(Task answer, Task.TaskStatus status) {
        StringBuilder ops = new StringBuilder("[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"")
                .append(status.toCode())
                .append("\"}");
        if (answer.hasStatusReason()) {
            ops.append(",{\"op\":\"add\",\"path\":\"/statusReason\",\"value\":{\"text\":")
                    .append(json(NoticeResponseTranslator.reason(answer)))
                    .append("}}");
        }
        return ops.append("]").toString();
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"";
    }
}
