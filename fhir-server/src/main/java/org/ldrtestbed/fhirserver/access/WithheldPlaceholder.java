package org.ldrtestbed.fhirserver.access;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Basic;

/** What stands in, while HAPI builds a history page, for an entry the reader may not see; removed before it is sent. */
final class WithheldPlaceholder {

    private static final String TAG_SYSTEM = "https://fhir.ldr-testbed.example/CodeSystem/withheld-placeholder";

    private WithheldPlaceholder() {}

    static Basic create() {
        Basic placeholder = new Basic();
        placeholder.setId("Basic/withheld");
        placeholder.getMeta().addTag().setSystem(TAG_SYSTEM).setCode("withheld");
        return placeholder;
    }

    static boolean is(IBaseResource resource) {
        return resource instanceof Basic basic && basic.getMeta().getTag(TAG_SYSTEM, "withheld") != null;
    }
}
