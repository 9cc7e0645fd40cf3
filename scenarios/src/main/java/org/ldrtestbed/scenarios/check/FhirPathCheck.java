package org.ldrtestbed.scenarios.check;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import com.fasterxml.jackson.databind.JsonNode;

/** Every assertion's {@code where} parsed by HAPI's FHIRPath engine (R4), templates standing in as values of their kind. */
final class FhirPathCheck implements JourneyCheck {

    private final IFhirPath fhirPath;

    FhirPathCheck(FhirContext context) {
        this.fhirPath = context.newFhirPath();
    }

    @Override
    public void check(Tree journey, Findings findings) {
        JsonNode steps = journey.root().path("steps");
        for (int i = 0; i < steps.size(); i++) {
            JsonNode sees = steps.get(i).path("sees");
            for (int j = 0; j < sees.size(); j++) {
                JsonNode where = sees.get(j).path("where");
                if (where.isTextual()) {
                    String pointer = "/steps/" + i + "/sees/" + j + "/where";
                    try {
                        fhirPath.parse(StandIns.render(where.asText()));
                    } catch (Exception e) {
                        findings.at(
                                pointer, findings.document().valueAt(pointer), "not valid FHIRPath: " + e.getMessage());
                    }
                }
            }
        }
    }
}
