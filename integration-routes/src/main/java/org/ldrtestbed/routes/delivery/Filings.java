package org.ldrtestbed.routes.delivery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Filing transactions for idempotent receivers: each entry is created once, conditional on an identifier derived
 * from the message, so a redelivered message finds what it filed before and changes nothing.
 */
public final class Filings {

    private Filings() {}

    /** A transaction that creates {@code resource} unless the record already holds one with this identifier. */
    public static Bundle createOnce(Resource resource, String system, String value) {
        return createOnce(new Bundle().setType(Bundle.BundleType.TRANSACTION), resource, system, value);
    }

    /** Adds such a create to {@code filing}; returns it. */
    public static Bundle createOnce(Bundle filing, Resource resource, String system, String value) {
        filing.addEntry()
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType())
                // Encoded: a value may hold '+' (EPS check characters), which a query string reads as a space.
                .setIfNoneExist("identifier=" + system + "|" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        return filing;
    }
}
