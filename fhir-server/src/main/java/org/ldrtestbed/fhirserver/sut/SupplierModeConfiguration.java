package org.ldrtestbed.fhirserver.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.time.Clock;
import javax.sql.DataSource;
import org.ldrtestbed.fhirserver.clock.RequestClock;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.sut.JdbcSutExchanges;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Supplier mode's server side: the prompts runs put for their systems under test, kept in the testbed's own tables, and the FHIR writes of the systems
 * that send in an organisation's place.
 */
@Configuration(proxyBeanMethods = false)
class SupplierModeConfiguration {

    @Bean
    @DependsOn(TestbedSchema.BEAN)
    Prompts prompts(DataSource dataSource, Clock clock) {
        return new Prompts(dataSource, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), clock);
    }

    @Bean
    MeshOutbox meshOutbox() {
        return new MeshOutbox();
    }

    @Bean
    SutWriteInterceptor sutWriteInterceptor(
            MeshOutbox outbox,
            FlowSwitches runs,
            FlowCatalogue catalogue,
            JdbcSutExchanges exchanges,
            RunClock runClock,
            RequestClock requestClock,
            FhirContext fhirContext,
            RestfulServer fhirRestfulServer) {
        SutWriteInterceptor interceptor = new SutWriteInterceptor(
                new SutWrites(runs, catalogue, exchanges, runClock, fhirContext), requestClock, fhirContext, outbox);
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }
}
