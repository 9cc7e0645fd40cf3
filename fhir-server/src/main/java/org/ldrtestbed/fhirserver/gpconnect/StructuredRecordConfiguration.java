package org.ldrtestbed.fhirserver.gpconnect;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.ldrtestbed.fhirserver.FhirServerProperties;
import org.ldrtestbed.fhirserver.access.AccessControl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The simulated GP system's structured record, served on the shared record's FHIR server. */
@Configuration(proxyBeanMethods = false)
class StructuredRecordConfiguration {

    @Bean
    StructuredRecordProvider structuredRecordProvider(
            FhirContext fhirContext,
            DaoRegistry daos,
            AccessControl access,
            FhirServerProperties properties,
            RestfulServer fhirRestfulServer) {
        // With access control off (only to measure its cost) no caller is refused for want of a relationship either.
        StructuredRecord record = new StructuredRecord(
                access::writerOrganisation,
                caller -> properties.accessControl() && !access.rules().restricts(caller),
                (patientId, organisation) -> access.relationships().involved(patientId, organisation));
        StructuredRecordProvider provider = new StructuredRecordProvider(fhirContext, daos, record);
        fhirRestfulServer.registerProvider(provider);
        return provider;
    }
}
