package org.ldrtestbed.fhirserver.hapi;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.IDaoRegistry;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.JpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.config.util.ResourceCountCacheUtil;
import ca.uhn.fhir.jpa.dao.FulltextSearchSvcImpl;
import ca.uhn.fhir.jpa.dao.IFulltextSearchSvc;
import ca.uhn.fhir.jpa.dao.search.HSearchSortHelperImpl;
import ca.uhn.fhir.jpa.dao.search.IHSearchSortHelper;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.provider.DaoRegistryResourceSupportedSvc;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.search.IStaleSearchDeletingSvc;
import ca.uhn.fhir.jpa.search.StaleSearchDeletingSvcImpl;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.jpa.util.ResourceCountCache;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.IResourceSupportedSvc;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.ldrtestbed.fhirserver.FhirServerProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * Hosts a HAPI FHIR 8.8.0 JPA R4 server inside a plain Spring Boot 3.5 app, without
 * hapi-fhir-jpaserver-starter. Modelled on the starter's Application.java,
 * FhirServerConfigR4.java, FhirServerConfigCommon.java and StarterJpaConfig.java, with every
 * import/signature checked against the 8.8.0 jars (javap) and a boot test on H2
 * (GET /fhir/metadata, POST/GET /fhir/Patient).
 *
 * <p>Needs {@code spring.main.allow-circular-references=true} (HAPI's configs have cycles).
 * Spring Boot's HibernateJpaAutoConfiguration backs off because this class defines the
 * {@code entityManagerFactory} and {@code transactionManager} beans; the DataSource is still the
 * Boot-managed one ({@code spring.datasource.*}).
 */
@Configuration
@EnableTransactionManagement
@Import({
    // FhirContextR4Config ("primaryFhirContext", @Primary FhirContext R4),
    // GeneratedDaoAndResourceProviderConfigR4 (DAOs + the "resourceProvidersR4" ResourceProviderFactory),
    // JpaConfig (@EnableJpaRepositories on ca.uhn.fhir.jpa.dao.data, core services, validation,
    // SearchParamConfig, Batch2SupportConfig, JpaBulkExportConfig, PackageLoaderConfig, ...),
    // "mySystemDaoR4" and "mySystemProviderR4" (JpaSystemProvider<Bundle, Meta>).
    JpaR4Config.class,
    // IJobPersistence for Batch2 (the JPA Batch2 job tables). JpaConfig needs IJobCoordinator etc.
    JpaBatch2Config.class,
    // Batch2 job definitions ($reindex, $delete-expunge, bulk export/import, term code system ...).
    // Several JpaConfig beans (ReindexProvider / BulkDataExportProvider etc.) need them.
    Batch2JobsConfig.class,
    // IBrokerClient / IChannelNamer / LinkedBlockingChannelFactory used by batch2 work notification
    // and by JpaConfig's subscription plumbing, even when no subscriptions are served.
    SubscriptionChannelConfig.class,
    // ThreadPoolFactory used by the batch2/subscription executors (the starter imports it from
    // StarterJpaConfig).
    ThreadPoolFactoryConfig.class
    // NOT imported (not needed to boot / serve REST): SubscriptionSubmitterConfig,
    // SubscriptionProcessorConfig, WebsocketDispatcherConfig, SubscriptionTopicConfig, MdmConfig,
    // StarterCr*Config, StarterIpsConfig, StarterCdsHooksConfig. Add SubscriptionSubmitterConfig +
    // SubscriptionProcessorConfig (hapi-fhir-jpaserver-subscription) if Subscription delivery is wanted.
})
public class HapiJpaConfig {

    // ------------------------------------------------------------------------------------------
    // Settings beans (the starter defines these in FhirServerConfigCommon)
    // ------------------------------------------------------------------------------------------

    @Bean
    public JpaStorageSettings jpaStorageSettings(FhirServerProperties properties) {
        JpaStorageSettings s = new JpaStorageSettings();
        s.setAllowExternalReferences(true);
        s.setAllowMultipleDelete(false);
        s.setExpungeEnabled(true);
        s.setDeleteExpungeEnabled(true);
        s.setFetchSizeDefaultMaximum(properties.maxPageSize());
        // Conditional references (Patient?identifier=...) in transactions: how flows file into a recipient's record.
        s.setAllowInlineMatchUrlReferences(true);
        // No Hibernate Search / Lucene / Elasticsearch: keep all full-text features off.
        s.setHibernateSearchIndexSearchParams(false);
        s.setStoreResourceInHSearchIndex(false);
        s.setAdvancedHSearchIndexing(false);
        return s;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        // Partitioning disabled (default). HapiEntityManagerFactoryUtil.newEntityManagerFactory
        // looks this bean up by type from the bean factory, so it MUST exist.
        return new PartitionSettings();
    }

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        // No supported subscription channel types => no subscription delivery.
        return new SubscriptionSettings();
    }

    // ------------------------------------------------------------------------------------------
    // Beans JpaConfig expects the application to provide (the starter defines these in
    // StarterJpaConfig; HAPI's own ca.uhn.fhir.jpa.config.HapiJpaConfig defines the same set,
    // so import EITHER that class OR these beans, never both - duplicate bean names fail in Boot).
    // ------------------------------------------------------------------------------------------

    @Bean
    public IFulltextSearchSvc fullTextSearchSvc() {
        return new FulltextSearchSvcImpl();
    }

    @Bean
    public IHSearchSortHelper hSearchSortHelper(ISearchParamRegistry theSearchParamRegistry) {
        return new HSearchSortHelperImpl(theSearchParamRegistry);
    }

    @Bean
    public IStaleSearchDeletingSvc staleSearchDeletingSvc() {
        return new StaleSearchDeletingSvcImpl();
    }

    @Bean
    public IResourceSupportedSvc resourceSupportedSvc(IDaoRegistry theDaoRegistry) {
        // Needed by GeneratedDaoAndResourceProviderConfigR4#resourceProvidersR4(IResourceSupportedSvc)
        return new DaoRegistryResourceSupportedSvc(theDaoRegistry);
    }

    @Bean(name = "myResourceCountsCache")
    public ResourceCountCache resourceCountsCache(IFhirSystemDao<?, ?> theSystemDao) {
        return ResourceCountCacheUtil.newResourceCountCache(theSystemDao);
    }

    @Bean
    public DatabaseBackedPagingProvider databaseBackedPagingProvider(FhirServerProperties properties) {
        DatabaseBackedPagingProvider pagingProvider = new DatabaseBackedPagingProvider();
        pagingProvider.setDefaultPageSize(properties.defaultPageSize());
        pagingProvider.setMaximumPageSize(properties.maxPageSize());
        return pagingProvider;
    }

    // ------------------------------------------------------------------------------------------
    // JPA: entity manager factory + transaction manager (replace Boot's HibernateJpaAutoConfiguration)
    // ------------------------------------------------------------------------------------------

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(
            DataSource dataSource,
            ConfigurableListableBeanFactory beanFactory,
            FhirContext fhirContext,
            JpaStorageSettings storageSettings,
            FhirServerProperties properties) {
        // 8.x signature: newEntityManagerFactory(ConfigurableListableBeanFactory, FhirContext, JpaStorageSettings)
        // Returns a HapiFhirLocalContainerEntityManagerFactoryBean with HapiFhirHibernateJpaDialect,
        // packagesToScan = ca.uhn.fhir.jpa.model.entity + ca.uhn.fhir.jpa.entity, and a custom
        // HibernatePersistenceProvider (registers ISequenceValueMassager + HapiHibernateDialectSettingsService).
        LocalContainerEntityManagerFactoryBean emf =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        emf.setPersistenceUnitName("HAPI_PU");
        emf.setDataSource(dataSource);

        Properties p = new Properties();
        // REQUIRED: HAPI's ca.uhn.fhir.jpa.config.HibernatePropertiesProvider#getDialect() reads
        // "hibernate.dialect" straight from this property map and instantiates it; if missing, startup fails.
        p.put("hibernate.dialect", properties.hibernateDialect());
        p.put("hibernate.hbm2ddl.auto", "update");
        p.put("hibernate.search.enabled", "false");
        p.put("hibernate.format_sql", "false");
        p.put("hibernate.show_sql", "false");
        p.put("hibernate.jdbc.batch_size", "30");
        p.put("hibernate.cache.use_query_cache", "false");
        p.put("hibernate.cache.use_second_level_cache", "false");
        p.put("hibernate.cache.use_structured_entries", "false");
        p.put("hibernate.cache.use_minimal_puts", "false");
        // Same as Spring Boot / the starter's EnvironmentHelper: no classpath scanning by Hibernate.
        p.put("hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        // NOTE: no SpringPhysicalNamingStrategy here (the starter sets it, but HAPI entities carry explicit
        // @Table/@Column names, and Hibernate's default physical naming keeps them as declared).
        // setJpaProperties MERGES into HapiFhirLocalContainerEntityManagerFactoryBean's defaults
        // (hibernate.jdbc.batch_size=30, order_inserts/updates, resource.beans.container, ...).
        emf.setJpaProperties(p);
        return emf;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        JpaTransactionManager tm = new JpaTransactionManager();
        tm.setEntityManagerFactory(entityManagerFactory);
        return tm;
    }

    // ------------------------------------------------------------------------------------------
    // REST layer
    // ------------------------------------------------------------------------------------------

    @Bean
    public RestfulServer fhirRestfulServer(
            IFhirSystemDao<?, ?> fhirSystemDao,
            // "resourceProvidersR4" from GeneratedDaoAndResourceProviderConfigR4 (only one in an R4-only context)
            ResourceProviderFactory resourceProviderFactory,
            // "mySystemProviderR4" from JpaR4Config (JpaSystemProvider<Bundle, Meta> implements IJpaSystemProvider)
            IJpaSystemProvider jpaSystemProvider,
            JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry,
            @Qualifier(JpaConfig.JPA_VALIDATION_SUPPORT_CHAIN) IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider) {
        FhirContext ctx = fhirSystemDao.getContext();
        RestfulServer server = new RestfulServer(ctx);

        // One IResourceProvider per resource type (JpaResourceProviderR4 over each DAO), plus suppliers
        // other configs add (e.g. JpaR4Config adds the Patient $merge provider).
        // AuditEvent is served from the hash-chained audit trail (TestbedServerConfiguration), not HAPI's table.
        server.registerProviders(resourceProviderFactory.createProviders().stream()
                .filter(p -> !(p instanceof IResourceProvider r && r.getResourceType() == AuditEvent.class))
                .toList());
        // System-level operations: transaction/batch bundles, $meta, $expunge, history, ...
        server.registerProvider(jpaSystemProvider);

        // CapabilityStatement from the JPA layer (search params from the registry, resource counts).
        JpaCapabilityStatementProvider capabilityStatementProvider = new JpaCapabilityStatementProvider(
                server, fhirSystemDao, storageSettings, searchParamRegistry, validationSupport);
        capabilityStatementProvider.setImplementationDescription(
                "ldr-testbed shared care record (synthetic data only)");
        server.setServerConformanceProvider(capabilityStatementProvider);

        // Page search results through the database (HFJ_SEARCH tables) instead of memory.
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        return server;
    }

    @Bean
    public ServletRegistrationBean<RestfulServer> fhirServletRegistration(RestfulServer fhirRestfulServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirRestfulServer, "/fhir/*");
        registration.setName("hapiFhirServlet");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
