package org.ldrtestbed.fhirserver.publication;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;

/** Leaves out of every response the entries {@link HeldEntries} says the reader may not see yet. */
@Interceptor
public class HeldEntriesInterceptor {

    private final HeldEntries heldEntries;

    public HeldEntriesInterceptor(HeldEntries heldEntries) {
        this.heldEntries = heldEntries;
    }

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void preShow(IPreResourceShowDetails details, RequestDetails request) {
        if (request instanceof SystemRequestDetails) {
            // The server's own reads (e.g. looking up a patient's flags to decide a publication) show nobody anything.
            return;
        }
        ActorIdentity reader = CurrentActor.get(request).orElse(null);
        if (reader == null) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            IBaseResource entry = details.getResource(i);
            if (entry != null && !heldEntries.visibleTo(entry, reader)) {
                details.setResource(i, null);
            }
        }
    }
}
