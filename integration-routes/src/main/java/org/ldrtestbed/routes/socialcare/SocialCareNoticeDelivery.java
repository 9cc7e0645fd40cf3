package org.ldrtestbed.routes.socialcare;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeTranslator.AdwNotice;

/** Files a notice in the council's worklist as a Task, once per notice (idempotent on the notice's id). */
public final class SocialCareNoticeDelivery implements FlowDelivery<AdwNotice> {

    private static final String SNOMED = SocialCareNoticeTranslator.SNOMED;
    private static final String TASK_ID_SYSTEM = SocialCareNoticeTranslator.TASK_ID_SYSTEM;

    private final RecordDelivery council;

    public SocialCareNoticeDelivery(RecordDelivery council) {
        this.council = council;
    }

    @Override
    public String deliver(AdwNotice notice) {
        return RecordDelivery.summarise(council.deliver(worklist(notice)));
    }

    /** The council's worklist Task for the notice. */
    public static Bundle worklist(AdwNotice adw) {
        ServiceRequest notice = adw.notice();
        Coding code = adw.code();
        String id = notice.getIdElement().getIdPart();
        String title = SocialCareNoticeTranslator.NOTICES.get(code.getCode());
        Identifier nhs = notice.getSubject().getIdentifier();
        Task task = new Task();
        task.addIdentifier(new Identifier().setSystem(TASK_ID_SYSTEM).setValue(id));
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(SNOMED, code.getCode(), title)));
        task.setDescription(title + " received from hospital"
                + (notice.hasNote() ? ": " + notice.getNoteFirstRep().getText() : ""));
        task.setFocus(new Reference("ServiceRequest/" + id));
        task.setFor(new Reference(notice.getSubject().getReference()).setIdentifier(nhs.copy()));
        task.setOwner(notice.getPerformerFirstRep().copy());
        task.setRequester(notice.getRequester().copy());
        task.setAuthoredOn(notice.getAuthoredOn());
        return Filings.createOnce(task, TASK_ID_SYSTEM, id);
    }
}
