package org.ldrtestbed.identity.contract;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/**
 * When a FHIRPath expression "is true" wherever the testbed asks (a flow's trigger criteria and withhold rules, the
 * policy's classes, a journey's {@code where}): its result's first item is the boolean {@code true}. An empty
 * result, {@code false} or any other value is not true.
 */
public final class FhirPathTruth {

    private FhirPathTruth() {}

    public static boolean isTrue(IFhirPath fhirPath, IBase focus, String expression) {
        List<IBase> result = fhirPath.evaluate(focus, expression, IBase.class);
        return !result.isEmpty()
                && result.getFirst() instanceof IPrimitiveType<?> primitive
                && Boolean.TRUE.equals(primitive.getValue());
    }
}
