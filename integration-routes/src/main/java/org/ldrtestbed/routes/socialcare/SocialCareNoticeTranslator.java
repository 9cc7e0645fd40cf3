package org.ldrtestbed.routes.socialcare;

import java.util.Map;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (f): a hospital's notice to adult social care (an assessment, discharge or withdrawal notice of the
 * 2016/17 Care Act scheme, as a ServiceRequest), checked as the regulations require: it names the patient by NHS
 * number, the local authority, and its date. The council's worklist entry is {@link SocialCareNoticeDelivery}'s.
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

    /**
     * A notice as it travels: the ServiceRequest, naming the patient by NHS number, and its notice code.
     *
     * @param notice the hospital's ServiceRequest (its id is the id of the notice)
     * @param code the notice code of refset 75691000000106
     */
    public record AdwNotice(ServiceRequest notice, Coding code) {}

    /**
     * The notice as it travels to adult social care.
     *
     * @throws InvalidMessageException when the notice breaks the regulations' rules
     */
    public AdwNotice toNotice(ServiceRequest notice) {
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

        ServiceRequest sent = notice.copy();
        sent.setSubject(new Reference(notice.getSubject().getReference()).setIdentifier(nhs.copy()));
        return new AdwNotice(sent, code.copy());
    }
}
