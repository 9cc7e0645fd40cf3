package org.ldrtestbed.routes.childprotection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Capability (g), CP-IS: a child's arrival in unscheduled care (an emergency Encounter) becomes a CP-IS query by NHS
 * number: is this child on a child protection, looked-after or unborn child plan? The NHS number asked about is the
 * patient's in the shared record (whatever the encounter's reference carries), so the delivery reads it there.
 */
public final class CpIsAccessTranslator {

    /**
     * The query a presentation asks.
     *
     * @param encounter the emergency Encounter (its id keys the alert and the notification that may follow)
     * @param patient the child seen, as the encounter references it; the query is by this patient's NHS number
     */
    public record CpIsQuery(Encounter encounter, Reference patient) {}

    /** @throws InvalidMessageException when the encounter does not say who was seen */
    public CpIsQuery toQuery(Encounter encounter) {
        if (encounter.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The encounter has no id in the record it was written to");
        }
        if (!"Patient".equals(encounter.getSubject().getReferenceElement().getResourceType())) {
            throw new InvalidMessageException("Encounter.subject must reference the Patient seen");
        }
        return new CpIsQuery(encounter, encounter.getSubject().copy());
    }

    /** CP-IS's search for a child's plans by NHS number (draft FHIR R4 NHS query). */
    static String search(String nhsNumber) {
        return "/cp-is/FHIR/R4/CarePlan?patient:identifier="
                + URLEncoder.encode(NhsNumber.SYSTEM + "|" + nhsNumber, StandardCharsets.UTF_8);
    }
}
