package org.ldrtestbed.routes.childprotection;

import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.PatientReferences;

/**
 * Capability (g), the local authority's side of CP-IS: a child's Child Protection Plan (or looked-after or unborn
 * child plan) as uploaded to the national service (draft FHIR R4 CarePlan): its type (CPPI, LACI or UCPI), keyed by
 * NHS number, with the plan's period and the authority's ODS code and contact.
 */
public final class CpIsPlanUploadTranslator {

    public static final String PLAN_TYPES = "https://fhir.ldr-testbed.example/CodeSystem/cp-is-plan-type";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

    /**
     * The upload; it keeps the plan's id, so the authority's record of the plan can be marked once CP-IS accepts it.
     *
     * @throws InvalidMessageException when CP-IS could not take the plan
     */
    public CarePlan toUpload(CarePlan plan) {
        Identifier nhs = PatientReferences.nhsNumber(
                plan.getSubject(), "CP-IS is keyed by NHS number: CarePlan.subject.identifier must carry a valid one");
        if (!plan.getPeriod().hasStart()) {
            throw new InvalidMessageException("CP-IS needs the plan's start date in CarePlan.period.start");
        }
        String authority = plan.getAuthor().getReferenceElement().getIdPart();
        if (!"Organization".equals(plan.getAuthor().getReferenceElement().getResourceType()) || authority == null) {
            throw new InvalidMessageException("CarePlan.author must be the local authority (an Organization)");
        }
        CarePlan upload = new CarePlan();
        upload.setId(plan.getIdElement().getIdPart());
        upload.setStatus(plan.getStatus());
        upload.setIntent(CarePlan.CarePlanIntent.PLAN);
        upload.addCategory().addCoding(type(plan).copy());
        upload.setSubject(new Reference().setIdentifier(nhs.copy()));
        upload.setPeriod(plan.getPeriod().copy());
        upload.setAuthor(new Reference()
                .setIdentifier(new Identifier().setSystem(ODS).setValue(authority))
                .setDisplay(plan.getAuthor().getDisplay()));
        return upload;
    }

    private static Coding type(CarePlan plan) {
        return plan.getCategory().stream()
                .flatMap(c -> c.getCoding().stream())
                .filter(c -> PLAN_TYPES.equals(c.getSystem()))
                .findFirst()
                .orElseThrow(() -> new InvalidMessageException(
                        "CarePlan.category must say the CP-IS plan type (" + PLAN_TYPES + ": CPPI, LACI or UCPI)"));
    }
}
