package org.ldrtestbed.fhirserver.attribution;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.MetaUtil;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.RecordAttribution;

/**
 * Stamps {@code meta.source} on every created or updated resource with the writer's organisation and user, taken
 * from the token: provenance is visible on every resource and searchable with {@code _source}.
 */
@Interceptor
public class AttributionInterceptor {

    private final FhirContext fhirContext;

    public AttributionInterceptor(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        stamp(resource, request);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource oldResource, IBaseResource newResource, RequestDetails request) {
        stamp(newResource, request);
    }

    private void stamp(IBaseResource resource, RequestDetails request) {
        String source = CurrentActor.get(request)
                .map(RecordAttribution::sourceFor)
                .orElseGet(() -> RecordAttribution.sourceForTestbed("system"));
        MetaUtil.setSource(fhirContext, resource, source);
    }
}
