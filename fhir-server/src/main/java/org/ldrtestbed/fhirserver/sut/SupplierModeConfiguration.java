package org.ldrtestbed.fhirserver.sut;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Supplier mode's server side: the prompts runs put for their systems under test. */
@Configuration(proxyBeanMethods = false)
class SupplierModeConfiguration {

    @Bean
    Prompts prompts(Clock clock) {
        return new Prompts(clock);
    }
}
