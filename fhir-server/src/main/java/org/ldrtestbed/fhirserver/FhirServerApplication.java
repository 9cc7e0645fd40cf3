package org.ldrtestbed.fhirserver;

import org.ldrtestbed.identity.IdentityConfiguration;
import org.ldrtestbed.routes.RoutesConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/** The testbed server: the shared care record (HAPI FHIR JPA R4 at /fhir), its security, and the sharing flows. */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchClientAutoConfiguration",
            "org.springframework.boot.autoconfigure.elasticsearch.ElasticsearchRestClientAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.elasticsearch.ElasticsearchDataAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.elasticsearch.ElasticsearchRepositoriesAutoConfiguration",
            // Boot's Flyway would run every migration under db/migration into a history of its own: the testbed
            // runs its own (TestbedSchema). HAPI brings Quartz, which may not start a second scheduler.
            "org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration",
            "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration",
            "org.springframework.boot.autoconfigure.thymeleaf.ThymeleafAutoConfiguration"
        })
@EnableConfigurationProperties(FhirServerProperties.class)
@Import({IdentityConfiguration.class, RoutesConfiguration.class})
public class FhirServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FhirServerApplication.class, args);
    }
}
