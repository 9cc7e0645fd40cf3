package org.ldrtestbed.fhirserver.conformance;

import java.time.Clock;
import javax.sql.DataSource;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/** The conformance sessions kept, in the testbed's own tables. */
@Configuration(proxyBeanMethods = false)
class ConformanceSessionConfiguration {

    @Bean
    @DependsOn(TestbedSchema.BEAN)
    ConformanceSessions conformanceSessions(DataSource dataSource, Clock clock) {
        return new ConformanceSessions(dataSource, clock);
    }
}
