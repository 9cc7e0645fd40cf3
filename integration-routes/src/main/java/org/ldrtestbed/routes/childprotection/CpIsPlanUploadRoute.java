package org.ldrtestbed.routes.childprotection;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.ldrtestbed.routes.FlowRoute;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.PatientReferences;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.messagelog.MessageLog;

/**
 * Capability (g), the local authority's side of CP-IS: a child's Child Protection Plan (or looked-after or unborn
 * child plan) is uploaded to the national service, keyed by NHS number with the authority's ODS code and contact;
 * the authority's own record of the plan is marked as uploaded once CP-IS has accepted it.
 */
public class CpIsPlanUploadRoute extends FlowRoute<CarePlan> {

    public static final String FLOW_CODE = "cp-is-plan-upload";
    public static final String PLAN_TYPES = "https://fhir.ldr-testbed.example/CodeSystem/cp-is-plan-type";

    private final FhirContext fhirContext;
    private final NationalService cpIs;
    private final RecordDelivery delivery;

    public CpIsPlanUploadRoute(
            SharingFlow flow,
            MessageLog log,
            int consumers,
            FhirContext fhirContext,
            NationalService cpIs,
            RecordDelivery delivery) {
        super(flow, log, consumers);
        this.fhirContext = fhirContext;
        this.cpIs = cpIs;
        this.delivery = delivery;
    }

    @Override
    protected CarePlan translate(String message) {
        CarePlan plan = parseStored(fhirContext, CarePlan.class, message, "plan");
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
                .setIdentifier(new Identifier().setSystem(CpIsAccessRoute.ODS).setValue(authority))
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

    @Override
    protected String describe(CarePlan upload) {
        return upload.getCategoryFirstRep().getCodingFirstRep().getCode() + " for "
                + upload.getSubject().getIdentifier().getValue() + " from "
                + upload.getAuthor().getIdentifier().getValue();
    }

    @Override
    protected String deliver(CarePlan upload) {
        cpIs.post("/cp-is/FHIR/R4/CarePlan", fhirContext.newJsonParser().encodeResourceToString(upload));
        String reference = "CarePlan/" + upload.getIdElement().getIdPart();
        delivery.tag(reference, new Coding(SharingFlow.PUBLISHED_BY, FLOW_CODE, "Uploaded to CP-IS"), true);
        return "uploaded to CP-IS; " + reference + " marked uploaded";
    }
}
