package org.ldrtestbed.routes.childprotection;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Coding;
import org.ldrtestbed.routes.FlowDelivery;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;

/** Posts the plan to (simulated) CP-IS, then marks the authority's own record of it as uploaded. */
public final class CpIsPlanUploadDelivery implements FlowDelivery<CarePlan> {

    private final FhirContext fhirContext;
    private final NationalService cpIs;
    private final RecordDelivery authority;

    public CpIsPlanUploadDelivery(FhirContext fhirContext, NationalService cpIs, RecordDelivery authority) {
        this.fhirContext = fhirContext;
        this.cpIs = cpIs;
        this.authority = authority;
    }

    @Override
    public String deliver(CarePlan upload) {
        cpIs.post("/cp-is/FHIR/R4/CarePlan", fhirContext.newJsonParser().encodeResourceToString(upload));
        String reference = "CarePlan/" + upload.getIdElement().getIdPart();
        authority.tag(
                reference,
                new Coding(SharingFlow.PUBLISHED_BY, CpIsPlanUploadRoute.FLOW_CODE, "Uploaded to CP-IS"),
                true);
        return "uploaded to CP-IS; " + reference + " marked uploaded";
    }
}
