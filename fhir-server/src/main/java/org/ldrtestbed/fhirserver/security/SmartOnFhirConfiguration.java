package org.ldrtestbed.fhirserver.security;

import ca.uhn.fhir.rest.server.RestfulServer;
import org.ldrtestbed.identity.TrustedIssuer;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SMART on FHIR: scope enforcement on the HAPI server, and the discovery document beside it. */
@Configuration(proxyBeanMethods = false)
class SmartOnFhirConfiguration {

    /**
     * Registered on the REST server itself, not HAPI's global interceptor service: server pointcuts such as
     * {@code SERVER_INCOMING_REQUEST_PRE_HANDLED} are broadcast by the server's own service.
     */
    @Bean
    SmartScopeInterceptor smartScopeInterceptor(RestfulServer fhirRestfulServer) {
        SmartScopeInterceptor interceptor = new SmartScopeInterceptor(fhirRestfulServer.getFhirContext());
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    ServletRegistrationBean<SmartConfigurationServlet> smartConfigurationServlet(
            TrustedIssuer issuer, RealmDefinition realm) {
        ServletRegistrationBean<SmartConfigurationServlet> registration = new ServletRegistrationBean<>(
                new SmartConfigurationServlet(issuer, realm), SmartConfigurationServlet.PATH);
        registration.setName("smartConfiguration");
        return registration;
    }
}
