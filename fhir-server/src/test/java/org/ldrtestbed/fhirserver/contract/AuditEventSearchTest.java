package org.ldrtestbed.fhirserver.contract;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.audit.AuditEventProvider;

/** The contract's list of AuditEvent search parameters is the one the server's own provider serves. */
class AuditEventSearchTest {

    @Test
    void theContractListsExactlyTheProvidersSearchParameters() {
        assertThat(searchParameters(AuditEventProvider.class))
                .containsExactlyInAnyOrderElementsOf(AuditEventSearch.PARAMETERS);
    }

    private static Set<String> searchParameters(Class<?> provider) {
        Set<String> names = new TreeSet<>();
        for (Method method : provider.getMethods()) {
            if (method.getAnnotation(Search.class) == null) {
                continue;
            }
            for (Annotation[] annotations : method.getParameterAnnotations()) {
                for (Annotation a : annotations) {
                    switch (a) {
                        case OptionalParam o -> names.add(o.name());
                        case RequiredParam r -> names.add(r.name());
                        case Count c -> names.add("_count");
                        case Offset o -> names.add("_offset");
                        default -> {}
                    }
                }
            }
        }
        return names;
    }
}
