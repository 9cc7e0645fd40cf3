package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;

/** Search answers made comparable: two of them differ only where what they found differs. */
final class SearchAnswers {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private SearchAnswers() {}

    /** The answer without what differs between any two searches: ids, timestamps, links. */
    static String normalised(String body) {
        Bundle bundle = (Bundle) FHIR.newJsonParser().parseResource(body);
        bundle.setId((String) null);
        bundle.setMeta(null);
        bundle.getLink().clear();
        bundle.getEntry().forEach(e -> {
            if (e.getResource() != null) {
                e.getResource().setId((String) null);
                e.getResource().setMeta(null);
            }
            e.setFullUrl(null);
        });
        return FHIR.newJsonParser().encodeResourceToString(bundle);
    }
}
