package org.ldrtestbed.routes.socialcare;

import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.routes.delivery.Filings;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (f): files a hospital's notice to adult social care (an assessment, discharge or withdrawal notice of
 * the 2016/17 Care Act scheme, as a ServiceRequest) in the council's worklist as a Task. The notice must name the
 * patient by NHS number, as the regulations require; receipt is idempotent on the notice's id.
 */
public final class SocialCareNoticeTranslator {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String TASK_ID_SYSTEM = "https://fhir.ldr-testbed.example/Id/social-care-notice";

    /** The notice codes of SNOMED refset 75691000000106 "Notices under Schedule 3 of the Care Act 2014". */
    public static final Map<String, String> NOTICES = Map.of(
            "975701000000106", "Assessment Notice",
            "975731000000100", "Discharge Notice",
            "975841000000102", "Withdraw All Notices",
            "975851000000104", "Withdraw Discharge Notice Only",
            "1078011000000107", "Withdraw Assessment Notice Only");

    public Bundle toWorklist(ServiceRequest notice) {
        String id = notice.getIdElement().getIdPart();
        if (id == null) {
            throw new InvalidMessageException("The notice has no id in the record it was written to");
        }
        Coding code = notice.getCode().getCoding().stream()
                .filter(c -> SNOMED.equals(c.getSystem()) && NOTICES.containsKey(c.getCode()))
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        "ServiceRequest.code is not an assessment, discharge or withdrawal notice (SNOMED refset"
                                + " 75691000000106)"));
        Identifier nhs = PatientReferences.nhsNumber(
                notice.getSubject(),
                "A notice must name the patient by a valid NHS number in ServiceRequest.subject.identifier (Care and"
                        + " Support (Discharge) Regulations 2014, reg 3)");
        if (!notice.hasPerformer()) {
            throw new InvalidMessageException("ServiceRequest.performer must name the local authority");
        }
        if (!notice.hasAuthoredOn()) {
            throw new InvalidMessageException("A notice must be dated (ServiceRequest.authoredOn; reg 2)");
        }

        Task task = new Task();
        task.addIdentifier(new Identifier().setSystem(TASK_ID_SYSTEM).setValue(id));
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(SNOMED, code.getCode(), NOTICES.get(code.getCode()))));
        task.setDescription(NOTICES.get(code.getCode()) + " received from hospital"
                + (notice.hasNote() ? ": " + notice.getNoteFirstRep().getText() : ""));
        task.setFocus(new Reference("ServiceRequest/" + id));
        task.setFor(new Reference(notice.getSubject().getReference()).setIdentifier(nhs.copy()));
        task.setOwner(notice.getPerformerFirstRep().copy());
        task.setRequester(notice.getRequester().copy());
        task.setAuthoredOn(notice.getAuthoredOn());

        Bundle filing = Filings.createOnce(task, TASK_ID_SYSTEM, id);
        return filing;
    }
}
