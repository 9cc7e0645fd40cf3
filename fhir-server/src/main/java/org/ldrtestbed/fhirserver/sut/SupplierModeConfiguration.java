package org.ldrtestbed.fhirserver.sut;

import java.time.Clock;
import javax.sql.DataSource;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Supplier mode's server side: the prompts runs put for their systems under test, in the testbed's own tables. */
@Configuration(proxyBeanMethods = false)
class SupplierModeConfiguration {

    @Bean
    @DependsOn(TestbedSchema.BEAN)
    Prompts prompts(DataSource dataSource, Clock clock) {
        return new Prompts(dataSource, new TransactionTemplate(new DataSourceTransactionManager(dataSource)), clock);
    }
}
