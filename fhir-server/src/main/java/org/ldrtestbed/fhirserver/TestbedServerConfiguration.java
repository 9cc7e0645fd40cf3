package org.ldrtestbed.fhirserver;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.jms.ConnectionFactory;
import java.util.List;
import javax.sql.DataSource;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.ldrtestbed.fhirserver.access.AccessControl;
import org.ldrtestbed.fhirserver.access.AccessInterceptor;
import org.ldrtestbed.fhirserver.access.CareRelationships;
import org.ldrtestbed.fhirserver.access.PatientRecords;
import org.ldrtestbed.fhirserver.access.PrivacyAlerts;
import org.ldrtestbed.fhirserver.access.RequestAccess;
import org.ldrtestbed.fhirserver.access.ResourceClassifier;
import org.ldrtestbed.fhirserver.attribution.AttributionInterceptor;
import org.ldrtestbed.fhirserver.audit.AuditEventProvider;
import org.ldrtestbed.fhirserver.audit.AuditInterceptor;
import org.ldrtestbed.fhirserver.clock.RequestClock;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.directory.DirectoryLoader;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.fhirserver.input.InputInterceptor;
import org.ldrtestbed.fhirserver.input.InputRules;
import org.ldrtestbed.fhirserver.input.RequestSizeLimit;
import org.ldrtestbed.fhirserver.prescribing.AllergenClasses;
import org.ldrtestbed.fhirserver.prescribing.AllergyAlertInterceptor;
import org.ldrtestbed.fhirserver.prescribing.AllergyConflicts;
import org.ldrtestbed.fhirserver.publication.FlagRecords;
import org.ldrtestbed.fhirserver.publication.HeldEntries;
import org.ldrtestbed.fhirserver.publication.HeldEntriesInterceptor;
import org.ldrtestbed.fhirserver.security.OperationOutcomeResponses;
import org.ldrtestbed.identity.IdentityConfiguration;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessRules;
import org.ldrtestbed.identity.audit.AuditTrail;
import org.ldrtestbed.identity.schema.TestbedSchema;
import org.ldrtestbed.routes.RoutesConfiguration;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.contract.CareSettings;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.outbox.OutboxRelay;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.Ordered;

/**
 * The testbed's own additions to the HAPI server: its own tables, the directory, and the interceptors, registered with
 * HAPI's global interceptor service so they see every write (REST requests and internal ones alike).
 */
@Configuration(proxyBeanMethods = false)
class TestbedServerConfiguration {

    /** Where this module's migrations (care relationships) live. */
    static final String MIGRATIONS = "classpath:db/migration/fhirserver";

    /** Every module's migrations: the server runs them in one go, before any bean uses the tables. */
    static final List<String> ALL_MIGRATIONS =
            List.of(IdentityConfiguration.MIGRATIONS, RoutesConfiguration.MIGRATIONS, MIGRATIONS);

    /** The testbed's own tables, beside HAPI's (whose schema HAPI keeps itself): made or brought up to date. */
    @Bean(TestbedSchema.BEAN)
    Flyway testbedSchema(DataSource dataSource) {
        Flyway flyway = TestbedSchema.flyway(dataSource, ALL_MIGRATIONS.toArray(String[]::new));
        flyway.migrate();
        return flyway;
    }

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

    /** Entries a GP (or an ambulance crew) holds until a publishing flow has shared them (capabilities a-c). */
    @Bean
    HeldEntries heldEntries(
            FhirContext fhirContext,
            FlowCatalogue catalogue,
            CareSettings settings,
            DaoRegistry daos,
            IInterceptorService interceptors) {
        // Capability b shares only the records of patients the GP has flagged: the flags are read from the record.
        FlagRecords flags = new FlagRecords(fhirContext, daos, settings);
        interceptors.registerInterceptor(flags);
        return new HeldEntries(fhirContext, catalogue, settings, flags);
    }

    @Bean
    @DependsOn(TestbedSchema.BEAN)
    AccessControl accessControl(
            FhirContext fhirContext,
            CareSettings settings,
            AccessRules rules,
            DataSource dataSource,
            DaoRegistry daos,
            HeldEntries heldEntries) {
        return new AccessControl(
                fhirContext,
                rules,
                new ResourceClassifier(fhirContext, rules.policy(), settings),
                new CareRelationships(fhirContext, rules.policy(), dataSource),
                new PatientRecords(daos),
                heldEntries);
    }

    @Bean
    @DependsOn(TestbedSchema.BEAN)
    AuditTrail auditTrail(DataSource dataSource) {
        return new AuditTrail(dataSource);
    }

    /**
     * Who may see what (the access policy, with held entries, capabilities a-c, as one of its rules) and the audit
     * trail of every access. Registered on the REST server's own interceptor service: its request hooks (SERVER_*)
     * fire only there, and its storage hooks reach it through the request, so the server's internal lookups are not
     * taken for a reader's. With access control off (only to measure its cost) the held entries still apply, so the
     * flows mean the same.
     */
    @Bean
    Object accessInterceptor(
            IInterceptorService interceptors,
            FhirContext fhirContext,
            FhirServerProperties properties,
            HeldEntries heldEntries,
            AccessControl access,
            AuditTrail trail,
            PrivacyAlerts alerts,
            RestfulServer fhirRestfulServer,
            RequestClock clock) {
        if (properties.accessControl()) {
            AccessInterceptor interceptor = new AccessInterceptor(fhirContext, access, alerts);
            fhirRestfulServer.registerInterceptor(interceptor);
            fhirRestfulServer.registerInterceptor(new AuditInterceptor(trail, clock));
            fhirRestfulServer.registerProvider(new AuditEventProvider(trail, access));
            return interceptor;
        }
        HeldEntriesInterceptor interceptor = new HeldEntriesInterceptor(heldEntries);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /**
     * The allergy alert on prescribing: checked against the allergies the prescriber may see (the access policy, or
     * with access control off the held entries alone), so an allergy the GP has not shared raises no alert. On the
     * REST server's interceptor service: it answers the write, and its storage hook reaches it through the request.
     */
    @Bean
    AllergyAlertInterceptor allergyAlertInterceptor(
            DaoRegistry daos,
            FhirServerProperties properties,
            AccessControl access,
            HeldEntries heldEntries,
            RestfulServer fhirRestfulServer,
            RequestClock clock) {
        AllergyAlertInterceptor.AllergyVisibility visibility = properties.accessControl()
                ? (allergy, prescriber, request) -> {
                    RequestAccess requestAccess =
                            (RequestAccess) request.getUserData().get(RequestAccess.KEY);
                    String purpose = requestAccess == null ? AccessPolicy.TREAT : requestAccess.purpose();
                    return access.decide(allergy, prescriber, purpose).allowed();
                }
                : (allergy, prescriber, request) -> heldEntries.visibleTo(allergy, prescriber);
        AllergyAlertInterceptor interceptor = new AllergyAlertInterceptor(
                daos, new AllergyConflicts(AllergenClasses.load(AllergenClasses.DEFAULT_LOCATION)), visibility, clock);
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    /**
     * Bad input refused before anything is written: strict parsing, NHS numbers, ODS codes and organisation
     * references. On the REST server's interceptor service, so only what clients send is held to it.
     */
    @Bean
    InputInterceptor inputInterceptor(
            FhirContext fhirContext, CareSystemDirectory directory, RestfulServer fhirRestfulServer) {
        InputInterceptor interceptor = new InputInterceptor(fhirContext, new InputRules(fhirContext, directory));
        fhirRestfulServer.registerInterceptor(interceptor);
        return interceptor;
    }

    /** The request size limit (413), ahead of every other filter so an oversize body is never read. */
    @Bean
    FilterRegistrationBean<RequestSizeLimit> requestSizeLimit(
            FhirServerProperties properties, FhirContext fhirContext) {
        FilterRegistrationBean<RequestSizeLimit> registration = new FilterRegistrationBean<>(
                new RequestSizeLimit(properties.maxRequestSize(), new OperationOutcomeResponses(fhirContext)));
        registration.addUrlPatterns("/fhir/*");
        registration.setName("requestSizeLimit");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * So a client refused for size hears the 413: Tomcat answers {@code Expect: 100-continue} only when the body is
     * read (a body the limit refuses is then never sent), and after a refusal it reads and discards up to twice the
     * limit of what the client still sends (closing with unread bytes would reset the connection before the client
     * reads the answer).
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> refusedBodiesAreHeard(FhirServerProperties properties) {
        long swallow =
                Math.min(Integer.MAX_VALUE, 2 * properties.maxRequestSize().toBytes());
        return factory -> factory.addConnectorCustomizers(connector -> {
            if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                http.setContinueResponseTiming("onRead");
                http.setMaxSwallowSize((int) swallow);
            }
        });
    }

    @Bean
    PrivacyAlerts privacyAlerts(ConnectionFactory connectionFactory, RequestClock clock) {
        return new PrivacyAlerts(connectionFactory, clock);
    }

    @Bean
    FlowTriggerInterceptor flowTriggerInterceptor(
            IInterceptorService interceptors,
            FlowDispatcher dispatcher,
            CareSystemDirectory directory,
            OutboxRelay relay,
            RequestClock clock) {
        FlowTriggerInterceptor interceptor = new FlowTriggerInterceptor(dispatcher, directory, relay, clock);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
