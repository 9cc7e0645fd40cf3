package org.ldrtestbed.fhirserver.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.ldrtestbed.fhirserver.FhirServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Validation of clients' writes per source ({@code testbed.fhir-server.validation.*}). */
@Configuration(proxyBeanMethods = false)
class WriteValidationConfiguration {

    @Bean
    WriteValidationInterceptor writeValidationInterceptor(
            FhirContext fhirContext, FhirServerProperties properties, RestfulServer fhirRestfulServer) {
        FhirServerProperties.Validation settings = properties.validation();
        WriteValidationInterceptor interceptor = new WriteValidationInterceptor(
                fhirContext, new WriteValidation(fhirContext, settings.defaultMode(), settings.sources()));
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }
}
