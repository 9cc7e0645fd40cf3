package org.ldrtestbed.fhirserver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.ldrtestbed.fhirserver.attribution.AttributionInterceptor;
import org.ldrtestbed.fhirserver.directory.CareSystemDirectory;
import org.ldrtestbed.fhirserver.directory.DirectoryLoader;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.fhirserver.publication.HeldEntries;
import org.ldrtestbed.fhirserver.publication.HeldEntriesInterceptor;
import org.ldrtestbed.routes.catalogue.CareSettings;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The testbed's own additions to the HAPI server: the directory, and the interceptors, registered with HAPI's global
 * interceptor service so they see every write (REST requests and internal ones alike).
 */
@Configuration(proxyBeanMethods = false)
class TestbedServerConfiguration {

    @Bean
    CareSystemDirectory careSystemDirectory(FhirServerProperties properties) {
        return CareSystemDirectory.load(properties.directory());
    }

    /** The flows' view of the directory: which care setting an organisation is in. */
    @Bean
    CareSettings careSettings(CareSystemDirectory directory) {
        return directory::settingOf;
    }

    @Bean
    DirectoryLoader directoryLoader(
            CareSystemDirectory directory, IFhirSystemDao<Bundle, Meta> systemDao, FhirServerProperties properties) {
        return new DirectoryLoader(directory, systemDao, properties);
    }

    @Bean
    AttributionInterceptor attributionInterceptor(IInterceptorService interceptors, FhirContext fhirContext) {
        AttributionInterceptor interceptor = new AttributionInterceptor(fhirContext);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /** Entries a GP holds stay with the practice until a publishing flow has shared them (capabilities a-c). */
    @Bean
    HeldEntriesInterceptor heldEntriesInterceptor(
            IInterceptorService interceptors,
            FhirContext fhirContext,
            FlowCatalogue catalogue,
            CareSystemDirectory directory) {
        HeldEntriesInterceptor interceptor =
                new HeldEntriesInterceptor(new HeldEntries(fhirContext, catalogue, directory::settingOf));
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    @Bean
    FlowTriggerInterceptor flowTriggerInterceptor(
            IInterceptorService interceptors, FlowDispatcher dispatcher, CareSystemDirectory directory) {
        FlowTriggerInterceptor interceptor = new FlowTriggerInterceptor(dispatcher, directory);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
