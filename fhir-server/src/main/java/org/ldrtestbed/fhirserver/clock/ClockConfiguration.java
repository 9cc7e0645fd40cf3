package org.ldrtestbed.fhirserver.clock;

import java.time.Clock;
import org.ldrtestbed.routes.clock.RunClock;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The request clock and the filter that puts trusted journey requests on their run's simulated clock. */
@Configuration(proxyBeanMethods = false)
public class ClockConfiguration {

    @Bean
    RequestClock requestClock(Clock clock) {
        return new RequestClock(clock);
    }

    /** After Spring Security's filters (the token is validated), before the FHIR servlet and the admin API. */
    @Bean
    FilterRegistrationBean<SimulatedTimeFilter> simulatedTimeFilter(
            RequestClock requestClock, RunClock runClock, org.ldrtestbed.routes.catalogue.FlowSwitches switches) {
        FilterRegistrationBean<SimulatedTimeFilter> registration = new FilterRegistrationBean<>(new SimulatedTimeFilter(
                SimulatedTimeTrust.journeyClientOnly(),
                requestClock,
                runClock,
                run -> run != null && switches.of(run).isPresent()));
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 10);
        return registration;
    }
}
