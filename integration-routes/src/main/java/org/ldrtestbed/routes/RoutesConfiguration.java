package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.hl7.HL7MLLPNettyDecoderFactory;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.ldrtestbed.identity.realm.RealmDefinition;
import org.ldrtestbed.identity.realm.RealmDefinition.RealmClient;
import org.ldrtestbed.routes.adt.AdtNotificationRoute;
import org.ldrtestbed.routes.adt.AdtTranslator;
import org.ldrtestbed.routes.catalogue.CareSettings;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.routes.catalogue.FlowDispatcher;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.childprotection.CpIsAccessRoute;
import org.ldrtestbed.routes.childprotection.CpIsPlanUploadRoute;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.deadletter.DeadLetters;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.RecordDelivery;
import org.ldrtestbed.routes.delivery.SharedRecordEndpoint;
import org.ldrtestbed.routes.discharge.DischargeSummaryRoute;
import org.ldrtestbed.routes.discharge.DischargeSummaryTranslator;
import org.ldrtestbed.routes.eol.EolPointerRoute;
import org.ldrtestbed.routes.eol.EolPointerTranslator;
import org.ldrtestbed.routes.hl7v2.Hl7v2Ingress;
import org.ldrtestbed.routes.hl7v2.Hl7v2ListenerRoute;
import org.ldrtestbed.routes.messagelog.JdbcMessageLog;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.onlineservices.AppointmentBookingRoute;
import org.ldrtestbed.routes.onlineservices.RepeatRequestRoute;
import org.ldrtestbed.routes.outbox.FlowOutbox;
import org.ldrtestbed.routes.outbox.OutboxRelay;
import org.ldrtestbed.routes.prescribing.EpsDispenseNotificationRoute;
import org.ldrtestbed.routes.prescribing.EpsPrescriptionRoute;
import org.ldrtestbed.routes.publishing.PublishingRoute;
import org.ldrtestbed.routes.referral.BarsReferralRoute;
import org.ldrtestbed.routes.referral.EReferralRoute;
import org.ldrtestbed.routes.referral.EReferralTranslator;
import org.ldrtestbed.routes.simulators.NationalServices;
import org.ldrtestbed.routes.socialcare.NoticeResponseRoute;
import org.ldrtestbed.routes.socialcare.NoticeResponseTranslator;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeRoute;
import org.ldrtestbed.routes.socialcare.SocialCareNoticeTranslator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.datasource.init.DataSourceInitializer;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jms.core.JmsTemplate;

/** Wires the flow catalogue, the switchboard, the dispatcher and one route per flow onto the JMS broker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RoutesProperties.class)
public class RoutesConfiguration {

    @Bean
    FlowCatalogue flowCatalogue(RoutesProperties properties) {
        return FlowCatalogue.load(properties.catalogue());
    }

    @Bean
    FlowSwitchboard flowSwitchboard(FlowCatalogue catalogue, RoutesProperties properties) {
        return new FlowSwitchboard(catalogue, properties.disabledFlows());
    }

    /** The switchboard and each journey run's own switches, as the dispatcher and the HL7v2 ingress consult them. */
    @Bean
    FlowSwitches flowSwitches(FlowSwitchboard switchboard, FlowCatalogue catalogue, Clock clock) {
        return new FlowSwitches(switchboard, catalogue, clock);
    }

    /** Each journey run's simulated clock, as its trusted requests set it; the server's clock for the rest. */
    @Bean
    RunClock runClock(Clock clock) {
        return new RunClock(clock);
    }

    @Bean
    MessageLog messageLog(DataSource dataSource, Clock clock) {
        return new JdbcMessageLog(dataSource, clock);
    }

    @Bean
    FlowDispatcher flowDispatcher(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            FhirContext fhirContext,
            FlowOutbox outbox,
            MessageLog log,
            List<FlowRoute<?>> routes,
            Clock clock) {
        // Each flow's own route decides what it can carry, before the source's write commits.
        Map<String, java.util.function.Consumer<String>> validators = routes.stream()
                .collect(java.util.stream.Collectors.toMap(r -> r.flow().code(), r -> r::check));
        // The message and its RECEIVED stage are recorded in the write's own transaction; the relay queues it.
        return new FlowDispatcher(
                catalogue,
                switches,
                fhirContext,
                (flow, body, headers) -> {
                    outbox.add(flow.code(), flow.queue(), body, headers);
                    log.record(Stage.RECEIVED, headers, "recorded for " + flow.queue());
                },
                validators,
                clock);
    }

    @Bean
    DataSourceInitializer flowOutboxSchema(DataSource dataSource) {
        DataSourceInitializer initializer = new DataSourceInitializer();
        initializer.setDataSource(dataSource);
        initializer.setDatabasePopulator(new ResourceDatabasePopulator(FlowOutbox.SCHEMA));
        return initializer;
    }

    @Bean
    @DependsOn("flowOutboxSchema")
    FlowOutbox flowOutbox(DataSource dataSource, Clock clock) {
        return new FlowOutbox(dataSource, clock);
    }

    @Bean(destroyMethod = "close")
    OutboxRelay outboxRelay(FlowOutbox outbox, ProducerTemplate producer, RoutesProperties properties) {
        return new OutboxRelay(
                outbox,
                (queue, body, headers) -> producer.sendBodyAndHeaders("jms:queue:" + queue, body, headers),
                properties.outboxRelayInterval());
    }

    /** Relaying starts once the routes run: first whatever a previous life committed and never queued. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> outboxRelayStart(OutboxRelay relay) {
        return event -> relay.start();
    }

    @Bean
    DeadLetters deadLetters(ConnectionFactory connectionFactory, FlowCatalogue catalogue, MessageLog log) {
        return new DeadLetters(new JmsTemplate(connectionFactory), catalogue, log);
    }

    /** Transacted JMS: a message leaves the queue only when its route has finished with it. */
    @Bean("jms")
    JmsComponent jmsComponent(ConnectionFactory connectionFactory) {
        return JmsComponent.jmsComponentTransacted(connectionFactory);
    }

    @Bean
    FlowRouteConfiguration flowRouteConfiguration(RoutesProperties properties, MessageLog log) {
        return new FlowRouteConfiguration(properties.maxRedeliveries(), properties.redeliveryDelay(), log);
    }

    /** Delivers for a flow as the receiving system the catalogue names, with that client's secret from the realm. */
    @Bean
    RecordDeliveries recordDeliveries(
            FhirContext fhirContext,
            SharedRecordEndpoint endpoint,
            RoutesProperties properties,
            RealmDefinition realm) {
        SharedRecordEndpoint recipient = properties.recipientBaseUrl() == null
                ? endpoint
                : new SharedRecordEndpoint() {
                    @Override
                    public String fhirBaseUrl() {
                        return properties.recipientBaseUrl().toString();
                    }

                    @Override
                    public String issuerUrl() {
                        return endpoint.issuerUrl();
                    }
                };
        return flow -> {
            RealmClient client = realm.client(flow.deliveredBy())
                    .orElseThrow(() -> new IllegalStateException(
                            "Flow " + flow.code() + " is delivered by " + flow.deliveredBy() + ", not a realm client"));
            return new RecordDelivery(fhirContext, recipient, client.clientId(), client.secret());
        };
    }

    /** Makes the {@link RecordDelivery} a flow's route delivers with. */
    @FunctionalInterface
    public interface RecordDeliveries {
        RecordDelivery forFlow(SharingFlow flow);
    }

    @Bean
    DischargeSummaryRoute dischargeSummaryRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(DischargeSummaryRoute.FLOW_CODE).orElseThrow();
        return new DischargeSummaryRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                new DischargeSummaryTranslator(),
                deliveries.forFlow(flow));
    }

    @Bean
    SocialCareNoticeRoute socialCareNoticeRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(SocialCareNoticeRoute.FLOW_CODE).orElseThrow();
        return new SocialCareNoticeRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                new SocialCareNoticeTranslator(),
                deliveries.forFlow(flow));
    }

    @Bean
    NoticeResponseRoute noticeResponseRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(NoticeResponseRoute.FLOW_CODE).orElseThrow();
        return new NoticeResponseRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                new NoticeResponseTranslator(),
                deliveries.forFlow(flow));
    }

    @Bean
    EolPointerRoute eolPointerRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(EolPointerRoute.FLOW_CODE).orElseThrow();
        return new EolPointerRoute(
                flow, log, properties.consumers(), fhirContext, new EolPointerTranslator(), deliveries.forFlow(flow));
    }

    @Bean
    EReferralRoute eReferralRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(EReferralRoute.FLOW_CODE).orElseThrow();
        return new EReferralRoute(
                flow, log, properties.consumers(), fhirContext, new EReferralTranslator(), deliveries.forFlow(flow));
    }

    /** Capabilities a, b and c: one route per publishing flow of the catalogue. */
    @Bean
    PublishingRoute gpSummaryRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        return publishingRoute("gp-summary", catalogue, log, fhirContext, deliveries, properties);
    }

    @Bean
    PublishingRoute gpAdditionalInformationRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        return publishingRoute("gp-additional-information", catalogue, log, fhirContext, deliveries, properties);
    }

    /** Record sharing: the GP notes in the local shared care record, for professionals outside urgent care. */
    @Bean
    PublishingRoute gpRecordSharingRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        return publishingRoute("gp-record-sharing", catalogue, log, fhirContext, deliveries, properties);
    }

    @Bean
    PublishingRoute patientOnlineAccessRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        return publishingRoute("patient-online-access", catalogue, log, fhirContext, deliveries, properties);
    }

    /** Record sharing: the ambulance crew's observations, published to the ED on handover. */
    @Bean
    PublishingRoute ambulanceHandoverRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        return publishingRoute("ambulance-handover", catalogue, log, fhirContext, deliveries, properties);
    }

    private static PublishingRoute publishingRoute(
            String code,
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(code).orElseThrow();
        return new PublishingRoute(flow, log, properties.consumers(), fhirContext, deliveries.forFlow(flow));
    }

    /** The national services flows call: the configured ones, or the testbed's own simulators started here. */
    @Bean(destroyMethod = "close")
    NationalServices nationalServices(RoutesProperties properties) {
        return properties.nationalServicesUrl() != null
                ? NationalServices.at(properties.nationalServicesUrl())
                : NationalServices.start(properties.nationalServicesPort());
    }

    @Bean
    CpIsAccessRoute cpIsAccessRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties,
            NationalServices services) {
        SharingFlow flow = catalogue.flow(CpIsAccessRoute.FLOW_CODE).orElseThrow();
        return new CpIsAccessRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                nationalService("CP-IS", services, properties),
                deliveries.forFlow(flow));
    }

    @Bean
    CpIsPlanUploadRoute cpIsPlanUploadRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties,
            NationalServices services) {
        SharingFlow flow = catalogue.flow(CpIsPlanUploadRoute.FLOW_CODE).orElseThrow();
        return new CpIsPlanUploadRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                nationalService("CP-IS", services, properties),
                deliveries.forFlow(flow));
    }

    @Bean
    BarsReferralRoute barsReferralRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties,
            NationalServices services) {
        SharingFlow flow = catalogue.flow(BarsReferralRoute.FLOW_CODE).orElseThrow();
        return new BarsReferralRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                nationalService("BaRS receiver", services, properties),
                deliveries.forFlow(flow));
    }

    @Bean
    EpsPrescriptionRoute epsPrescriptionRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties,
            NationalServices services) {
        SharingFlow flow = catalogue.flow(EpsPrescriptionRoute.FLOW_CODE).orElseThrow();
        return new EpsPrescriptionRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                nationalService("EPS", services, properties),
                deliveries.forFlow(flow));
    }

    @Bean
    EpsDispenseNotificationRoute epsDispenseNotificationRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties,
            NationalServices services) {
        SharingFlow flow =
                catalogue.flow(EpsDispenseNotificationRoute.FLOW_CODE).orElseThrow();
        return new EpsDispenseNotificationRoute(
                flow,
                log,
                properties.consumers(),
                fhirContext,
                nationalService("EPS", services, properties),
                deliveries.forFlow(flow));
    }

    /** A client for one of the national services, wherever they run, with the configured timeout. */
    private static NationalService nationalService(
            String name, NationalServices services, RoutesProperties properties) {
        return new NationalService(name, services::baseUrl, properties.nationalServiceTimeout());
    }

    @Bean
    AppointmentBookingRoute appointmentBookingRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(AppointmentBookingRoute.FLOW_CODE).orElseThrow();
        return new AppointmentBookingRoute(flow, log, properties.consumers(), fhirContext, deliveries.forFlow(flow));
    }

    @Bean
    RepeatRequestRoute repeatRequestRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            FhirContext fhirContext,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(RepeatRequestRoute.FLOW_CODE).orElseThrow();
        return new RepeatRequestRoute(flow, log, properties.consumers(), fhirContext, deliveries.forFlow(flow));
    }

    @Bean
    AdtTranslator adtTranslator() {
        return new AdtTranslator();
    }

    @Bean
    AdtNotificationRoute adtNotificationRoute(
            FlowCatalogue catalogue,
            MessageLog log,
            AdtTranslator translator,
            RecordDeliveries deliveries,
            RoutesProperties properties) {
        SharingFlow flow = catalogue.flow(AdtNotificationRoute.FLOW_CODE).orElseThrow();
        return new AdtNotificationRoute(flow, log, properties.consumers(), translator, deliveries.forFlow(flow));
    }

    /** HL7v2 receipt: validates each message as its flow will translate it, before acknowledging it. */
    @Bean
    Hl7v2Ingress hl7v2Ingress(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            CareSettings careSettings,
            AdtTranslator adt,
            ProducerTemplate producer,
            MessageLog log,
            RunClock clock) {
        return new Hl7v2Ingress(
                catalogue,
                switches,
                careSettings::settingOf,
                Map.of(
                        AdtNotificationRoute.FLOW_CODE,
                        er7 -> adt.read(adt.parse(er7)).nhsNumber()),
                (flow, body, headers) -> producer.sendBodyAndHeaders("jms:queue:" + flow.queue(), body, headers),
                (flow, body, headers) -> producer.sendBodyAndHeaders(
                        "jms:queue:" + FlowRouteConfiguration.DEAD_LETTER_QUEUE, body, headers),
                log,
                clock);
    }

    @Bean
    Hl7v2ListenerRoute hl7v2ListenerRoute(RoutesProperties properties, Hl7v2Ingress ingress) {
        return new Hl7v2ListenerRoute(properties.mllpAddress(), properties.mllpPort(), ingress);
    }

    @Bean("hl7encoder")
    HL7MLLPNettyEncoderFactory hl7encoder() {
        HL7MLLPNettyEncoderFactory factory = new HL7MLLPNettyEncoderFactory();
        factory.setCharset("UTF-8");
        return factory;
    }

    @Bean("hl7decoder")
    HL7MLLPNettyDecoderFactory hl7decoder() {
        HL7MLLPNettyDecoderFactory factory = new HL7MLLPNettyDecoderFactory();
        factory.setCharset("UTF-8");
        return factory;
    }
}
