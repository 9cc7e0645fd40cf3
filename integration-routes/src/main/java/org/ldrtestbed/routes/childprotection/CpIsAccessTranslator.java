package org.ldrtestbed.routes.childprotection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Capability (g), CP-IS: a child's arrival in unscheduled care (an emergency Encounter) becomes a CP-IS query by NHS
 * number: is this child on a child protection, looked-after or unborn child plan?
 */
public final class CpIsAccessTranslator {

    /**
     * The query a presentation asks.
     *
     * @param encounter the emergency Encounter (its id keys the alert and the notification that may follow)
     * @param nhsNumber the child's NHS number when the encounter names it; null when it names the Patient by
     *     reference only, and the delivery looks the number up
     */
    public record CpIsQuery(Encounter encounter, String nhsNumber) {}

    /** @throws InvalidMessageException when the encounter does not say who was seen */
    public CpIsQuery toQuery(Encounter encounter) {
        if (encounter.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The encounter has no id in the record it was written to");
        }
        if (!"Patient".equals(encounter.getSubject().getReferenceElement().getResourceType())) {
            throw new InvalidMessageException("Encounter.subject must reference the Patient seen");
        }
        Identifier nhs = encounter.getSubject().getIdentifier();
        boolean named = nhs != null && NhsNumber.SYSTEM.equals(nhs.getSystem()) && NhsNumber.isValid(nhs.getValue());
        return new CpIsQuery(encounter, named ? nhs.getValue() : null);
    }

    /** CP-IS's search for a child's plans by NHS number (draft FHIR R4 NHS query). */
    static String search(String nhsNumber) {
        return "/cp-is/FHIR/R4/CarePlan?patient:identifier="
                + URLEncoder.encode(NhsNumber.SYSTEM + "|" + nhsNumber, StandardCharsets.UTF_8);
    }
}
